namespace ProofAgent.Provers.Processes.Sandbox;

/// <summary>
/// A host path a sandboxed process may see, at the same path inside the sandbox. Writable grants must lie under the
/// policy's writable roots (the temp folder, where checkers create their private job folders).
/// </summary>
public sealed record PathGrant(string Path, bool Writable)
{
    public static PathGrant ReadOnly(string path) => new(path, false);

    public static PathGrant ReadWrite(string path) => new(path, true);
}
