namespace ProofAgent.Provers.Isabelle;

/// <summary>How Isabelle is run. Immutable; derive variants with <c>with</c> or the builders.</summary>
public sealed record IsabelleOptions
{
    public static IsabelleOptions Default { get; } = new();

    /// <summary>The <c>isabelle</c> launcher (a name on PATH, or a path).</summary>
    public string Isabelle { get; init; } = "isabelle";

    /// <summary>The logic session theories are checked in (its heap is built on first use when missing).</summary>
    public string Session { get; init; } = "HOL";

    /// <summary>Extra session directories (<c>dirs</c> of <c>session_start</c>), e.g. an AFP checkout.</summary>
    public IReadOnlyList<string> SessionDirectories { get; init; } = [];

    /// <summary>System options for the session (<c>name=value</c>).</summary>
    public IReadOnlyList<string> SessionOptions { get; init; } = [];

    /// <summary>Time for the server to answer its greeting and for <c>session_start</c> (loading, or building, the heap).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time for the oracle audit, beyond the proof's own budget.</summary>
    public TimeSpan AuditTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Address-space cap of the server process tree (Java and Poly/ML reserve a lot of virtual memory).</summary>
    public long? MemoryBytes { get; init; } = 32L * 1024 * 1024 * 1024;

    public IsabelleOptions WithExecutable(string isabelle) => this with { Isabelle = isabelle };

    public IsabelleOptions WithSession(string session, params IEnumerable<string> directories) =>
        this with { Session = session, SessionDirectories = [.. directories] };
}
