namespace ProofAgent.Provers.Processes;

/// <summary>
/// The probe every prover adapter runs, in one place: find the executable, run it once to print its version, and name
/// the prover with that version, or say why the prover is unavailable here (with the adapter's install hint). Adapters
/// cache its answer in a <see cref="ProbeCache"/>.
/// </summary>
/// <param name="Prover">The prover's name in its identity and in an <c>unavailable</c> answer.</param>
/// <param name="Executable">A name on PATH, or a path.</param>
/// <param name="Arguments">What makes it print its version (<c>--version</c>).</param>
/// <param name="InstallHint">Given with every <c>unavailable</c> answer.</param>
public sealed record VersionProbe(string Prover, string Executable, IReadOnlyList<string> Arguments, string InstallHint)
{
    /// <summary>The limits of the version run.</summary>
    public ProcessLimits Limits { get; init; } = new(TimeSpan.FromSeconds(30));

    /// <summary>The prover as found, or why it is missing.</summary>
    /// <param name="runner">Runs the version command (in the adapter's sandbox).</param>
    /// <param name="readVersion">The version in the command's standard output; null when it reports none.</param>
    /// <param name="toolchainHash">The identity's toolchain part, given the executable's path; null for none.</param>
    public async Task<ProverAvailability> RunAsync(IProcessRunner runner, Func<string, string?> readVersion, Func<string, string?>? toolchainHash = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(readVersion);
        if (ExecutableLocator.Find(Executable) is not { } path)
        {
            return Missing($"'{Executable}' was not found on PATH");
        }

        var outcome = await runner.RunAsync(new ProcessSpec(path, Arguments), Limits);
        var version = outcome.ExitCode == 0 ? readVersion(outcome.StandardOutput) : null;
        return version is null
            ? Missing($"'{string.Join(' ', [path, .. Arguments])}' did not report a version: {outcome.StandardError.Trim()}")
            : new ProverAvailability.Available(new ProverIdentity(Prover, version, toolchainHash?.Invoke(path)), path);
    }

    /// <summary>An <c>unavailable</c> answer for this prover, with its install hint.</summary>
    public ProverAvailability.Missing Missing(string reason) => new(Prover, reason, InstallHint);
}
