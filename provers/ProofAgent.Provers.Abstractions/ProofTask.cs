namespace ProofAgent.Provers;

/// <summary>
/// Limits for one prover call. Wall clock is the outer guard; memory is a hard address-space cap on the process.
/// </summary>
public sealed record ResourceBudget(TimeSpan WallClock, long? MemoryBytes = null)
{
    /// <summary>60 s and 4 GiB: enough for Coq with the real-number library and for SMT on competition problems.</summary>
    public static ResourceBudget Default { get; } = new(TimeSpan.FromSeconds(60), 4L * 1024 * 1024 * 1024);

    public ResourceBudget WithWallClock(TimeSpan wallClock) => this with { WallClock = wallClock };

    public ResourceBudget WithMemory(long? bytes) => this with { MemoryBytes = bytes };
}

/// <summary>
/// A whole artifact to check: the source of one file in one language. When <see cref="ExpectedStatement"/> is set,
/// the proof must establish exactly that statement (same name, same proposition as the prover understands it).
/// </summary>
public sealed record ProofTask(ProofLanguage Language, string Source)
{
    /// <summary>The file name to report in diagnostics and to give the prover (module names often derive from it).</summary>
    public string FileName { get; init; } = "Candidate" + Language.Extensions()[0];

    /// <summary>Source text of a file that states the theorem(s) to be proved, with or without a proof.</summary>
    public string? ExpectedStatement { get; init; }

    public ResourceBudget Budget { get; init; } = ResourceBudget.Default;

    public ProofTask WithFileName(string fileName) => this with { FileName = fileName };

    public ProofTask WithExpectedStatement(string? statement) => this with { ExpectedStatement = statement };

    public ProofTask WithBudget(ResourceBudget budget) => this with { Budget = budget };
}
