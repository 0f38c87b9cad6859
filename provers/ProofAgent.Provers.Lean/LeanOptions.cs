namespace ProofAgent.Provers.Lean;

/// <summary>
/// How Lean is run and what the soundness gate accepts. Immutable; derive variants with <c>with</c> or the builders.
/// Environment variables read by the agent: <c>PROOFAGENT_LEAN</c>, <c>PROOFAGENT_LAKE</c>, <c>PROOFAGENT_LEAN_REPL</c>,
/// <c>PROOFAGENT_LEAN_PROJECT</c> (see README.md of this project).
/// </summary>
public sealed record LeanOptions
{
    public static LeanOptions Default { get; } = new();

    /// <summary>The compiler (a name on PATH, or a path). Used as <c>lean FILE</c> when no <see cref="ProjectDirectory"/> is set.</summary>
    public string Lean { get; init; } = "lean";

    /// <summary>Lake, used as <c>lake env lean FILE</c> (and <c>lake env REPL</c>) inside <see cref="ProjectDirectory"/>.</summary>
    public string Lake { get; init; } = "lake";

    /// <summary>
    /// The Lean REPL executable (leanprover-community/repl, <c>.lake/build/bin/repl</c>). When it is found, checks run through
    /// the warm pool; otherwise every check is a whole-file <c>lean</c> run.
    /// </summary>
    public string Repl { get; init; } = "repl";

    /// <summary>A Lake project (for example one that depends on Mathlib); null runs the bare toolchain.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>Axioms a proof may depend on (the standard three; <c>sorryAx</c> and <c>Lean.ofReduceBool</c> are not).</summary>
    public IReadOnlyList<string> AllowedAxioms { get; init; } = ["propext", "Classical.choice", "Quot.sound"];

    /// <summary>Accept <c>native_decide</c> (it trusts the compiler: axiom <c>Lean.ofReduceBool</c>, which must then also be allowed).</summary>
    public bool AllowNativeDecide { get; init; }

    /// <summary>Warm REPL processes kept per import header.</summary>
    public int PoolSizePerHeader { get; init; } = 2;

    /// <summary>A REPL process is recycled after this many requests (the REPL never frees environments or proof states).</summary>
    public int MaxUsesPerProcess { get; init; } = 200;

    /// <summary>A REPL process whose resident memory exceeds this is recycled when it comes back to the pool.</summary>
    public long MaxResidentBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Hard address-space cap (RLIMIT_AS) of every Lean process. <c>import Mathlib</c> maps several GiB.</summary>
    public long? MemoryBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Time allowed for a REPL process to start and elaborate its import header.</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time allowed for one tactic in an interactive session.</summary>
    public TimeSpan TacticTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra arguments for every whole-file <c>lean</c> run (for example <c>-DmaxHeartbeats=400000</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Use the REPL pool for whole-file checks when a REPL is found (false: always run <c>lean FILE</c>).</summary>
    public bool PreferRepl { get; init; } = true;

    /// <summary>Tests only: switch the static scan off to show that Lean itself (kernel, audit, statement check) also rejects an exploit.</summary>
    internal bool StaticScan { get; init; } = true;

    /// <summary>
    /// The defaults overridden by <c>PROOFAGENT_LEAN</c>, <c>PROOFAGENT_LAKE</c>, <c>PROOFAGENT_LEAN_REPL</c>,
    /// <c>PROOFAGENT_LEAN_PROJECT</c> and <c>PROOFAGENT_LEAN_NATIVE_DECIDE=1</c>.
    /// </summary>
    public static LeanOptions FromEnvironment()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        return Default with
        {
            Lean = Env("PROOFAGENT_LEAN") ?? Default.Lean,
            Lake = Env("PROOFAGENT_LAKE") ?? Default.Lake,
            Repl = Env("PROOFAGENT_LEAN_REPL") ?? Default.Repl,
            ProjectDirectory = Env("PROOFAGENT_LEAN_PROJECT"),
            AllowNativeDecide = Env("PROOFAGENT_LEAN_NATIVE_DECIDE") == "1",
        };
    }

    public LeanOptions WithAllowedAxioms(params IEnumerable<string> axioms) => this with { AllowedAxioms = [.. axioms] };

    public LeanOptions WithProjectDirectory(string? directory) => this with { ProjectDirectory = directory };

    public LeanOptions WithNativeDecide(bool allow) => this with { AllowNativeDecide = allow };

    public LeanOptions WithExtraArguments(params IEnumerable<string> arguments) => this with { ExtraArguments = [.. arguments] };
}
