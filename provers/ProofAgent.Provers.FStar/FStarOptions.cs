namespace ProofAgent.Provers.FStar;

/// <summary>How F* is run. Immutable; derive variants with <c>with</c> or the builders.</summary>
public sealed record FStarOptions
{
    public static FStarOptions Default { get; } = new();

    /// <summary>The F* executable (a name on PATH, or a path).</summary>
    public string FStar { get; init; } = "fstar.exe";

    /// <summary>Arguments every run gets, after the service's own (e.g. <c>--include dir</c>, <c>--z3rlimit 20</c>, <c>--smt path/to/z3</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Address-space cap of F* and its Z3 children.</summary>
    public long? MemoryBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Time for <c>--ide</c> to print its protocol-info line.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The arguments of the soundness gate, always first: any <c>assume</c> is an error.</summary>
    public static IReadOnlyList<string> GateArguments { get; } = ["--report_assumes", "error"];

    public FStarOptions WithExecutable(string fstar) => this with { FStar = fstar };

    public FStarOptions WithExtraArguments(params IEnumerable<string> arguments) => this with { ExtraArguments = [.. arguments] };
}
