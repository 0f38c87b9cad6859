namespace ProofAgent.Agent;

/// <summary>Who drives a proof attempt.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ProofMode>))]
public enum ProofMode
{
    /// <summary>The HybridProver stages in a fixed order: whole proof, repair, sketch, refinement, final check.</summary>
    Pipeline,

    /// <summary>A Semantic Kernel chat agent that calls the provers as tools (check_proof, goals_after, ...); the final check still decides.</summary>
    Agent,
}

/// <summary>
/// Limits for one proof request. Every limit is enforced: the loop stops at the first one reached and reports it.
/// </summary>
public sealed record ProofBudget
{
    public static ProofBudget Default { get; } = new();

    /// <summary>Total wall-clock time for the request, final check included.</summary>
    public TimeSpan WallClock { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Whole proofs sampled from the model in one batched call (0: no whole-proof stage).</summary>
    public int Samples { get; init; } = 4;

    /// <summary>Repair rounds: a failed whole proof goes back to the model with the prover's first errors (0: none).</summary>
    public int RepairRounds { get; init; } = 1;

    /// <summary>Agent mode: the most tool calls the model may make.</summary>
    public int MaxToolCalls { get; init; } = 24;

    /// <summary>Prover calls (whole-file checks plus interactive steps) before the loop gives up.</summary>
    public int MaxProverCalls { get; init; } = 2_000;

    /// <summary>Limit for one tactic in the search (passed to Coq as <c>timeout</c>).</summary>
    public TimeSpan TacticTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Limit for one whole-file check.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public ProofBudget WithWallClock(TimeSpan wallClock) => this with { WallClock = wallClock };

    public ProofBudget WithSamples(int samples) => this with { Samples = samples };

    public ProofBudget WithRepairRounds(int rounds) => this with { RepairRounds = rounds };

    public ProofBudget WithMaxToolCalls(int calls) => this with { MaxToolCalls = calls };

    public ProofBudget WithMaxProverCalls(int calls) => this with { MaxProverCalls = calls };

    public ProofBudget WithTacticTimeout(TimeSpan timeout) => this with { TacticTimeout = timeout };

    public ProofBudget WithCheckTimeout(TimeSpan timeout) => this with { CheckTimeout = timeout };
}

/// <summary>
/// What to prove: a source file whose theorem(s) have a hole for a proof (<c>Admitted</c>, <c>sorry</c>, <c>oops</c>, an
/// empty <c>Proof.</c>). The statement the final proof must establish is this file itself, unless
/// <see cref="ExpectedStatement"/> says otherwise.
/// </summary>
public sealed record ProofRequest(ProofLanguage Language, string Source)
{
    /// <summary>A name for reports and for the prover's file name.</summary>
    public string FileName { get; init; } = "Problem" + Language.Extensions()[0];

    /// <summary>The statement file the proof is checked against (default: <see cref="Source"/>).</summary>
    public string? ExpectedStatement { get; init; }

    public ProofBudget Budget { get; init; } = ProofBudget.Default;

    /// <summary>Informal hints (an informal proof) for the prompts; never set when measuring benchmark pass rates.</summary>
    public string? InformalHint { get; init; }

    /// <summary>Seed for sampling, so that runs are reproducible.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Run the automation stages (portfolio, search). Off only to measure the model alone.</summary>
    public bool UseAutomation { get; init; } = true;

    /// <summary>Who drives: the HybridProver stages (default), or a Semantic Kernel agent calling the provers as tools.</summary>
    public ProofMode Mode { get; init; } = ProofMode.Pipeline;

    /// <summary>
    /// Check every whole-proof sample instead of stopping at the first that passes: what pass@k needs (the samples are
    /// drawn in one batch either way).
    /// </summary>
    public bool CheckAllSamples { get; init; }

    public ProofRequest WithMode(ProofMode mode) => this with { Mode = mode };

    public ProofRequest WithBudget(ProofBudget budget) => this with { Budget = budget };

    public ProofRequest WithFileName(string fileName) => this with { FileName = fileName };

    public ProofRequest WithExpectedStatement(string? statement) => this with { ExpectedStatement = statement };
}
