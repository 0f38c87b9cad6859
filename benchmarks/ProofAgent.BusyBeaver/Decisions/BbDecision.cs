namespace ProofAgent.BusyBeaver;

public enum BbVerdict
{
    Halts,
    NonHalting,
    Undecided,
}

public sealed record BbDecision(BbVerdict Verdict, long Steps, long Ones, string? Decider, BbCertificate? Certificate);

public sealed record DeciderOptions
{
    public static DeciderOptions Default { get; } = new();

    /// <summary>Steps simulated to look for a halt.</summary>
    public long MaxSteps { get; init; } = 100_000;

    /// <summary>Steps the cycler and translated-cycler deciders explore.</summary>
    public int CyclerSteps { get; init; } = 2_000;

    /// <summary>Tape cells (one byte each) the halting simulation may use; a run that needs more stops there, undecided.</summary>
    public int MaxTapeCells { get; init; } = Simulator.DefaultMaxTapeCells;

    public int BackwardDepth { get; init; } = 40;

    public int BackwardNodes { get; init; } = 20_000;

    /// <summary>n-gram CPS runs tried in order after the other deciders (empty: none).</summary>
    public IReadOnlyList<NGramCpsParameters> NGramCps { get; init; } = NGramCpsParameters.Standard;

    public DeciderOptions WithMaxSteps(long steps) => this with { MaxSteps = steps };

    /// <summary>Repeated-word-list runs tried last (empty: none).</summary>
    public IReadOnlyList<RepWlParameters> RepWl { get; init; } = RepWlParameters.Standard;

    public DeciderOptions WithRepWl(IReadOnlyList<RepWlParameters> parameters) => this with { RepWl = parameters };

    public DeciderOptions WithNGramCps(IReadOnlyList<NGramCpsParameters> parameters) => this with { NGramCps = parameters };
}
