namespace ProofAgent.Provers;

/// <summary>
/// The closed set of answers a checker gives about a proof. Callers switch on the type, never on text.
/// Only <see cref="Proved"/> means the kernel accepted the untouched statement with no escape hatch.
/// </summary>
public abstract record Verdict
{
    private Verdict()
    {
    }

    /// <summary>The stable JSON/CLI spelling: <c>proved</c>, <c>failed</c>, <c>incomplete</c>, <c>unsound</c>, <c>timeout</c>, <c>unavailable</c>, <c>error</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line a person can read.</summary>
    public abstract string Summary { get; }

    public bool IsProved => this is Proved;

    /// <summary>The kernel checked the statement; no hole, no escape hatch, only allowed axioms.</summary>
    public sealed record Proved : Verdict
    {
        public static Proved Instance { get; } = new();

        public override string Name => "proved";

        public override string Summary => "proved: checked by the prover's kernel, no escape hatch";
    }

    /// <summary>The prover rejected the proof (type error, failing tactic, parse error, unsat core missing...).</summary>
    public sealed record Failed(string Reason) : Verdict
    {
        public override string Name => "failed";

        public override string Summary => $"failed: {Reason}";
    }

    /// <summary>The file checks, but a hole remains (<c>sorry</c>, <c>admit</c>, <c>Admitted</c>, <c>oops</c>).</summary>
    public sealed record Incomplete(IReadOnlyList<string> Holes) : Verdict
    {
        public override string Name => "incomplete";

        public override string Summary => $"incomplete: {string.Join("; ", Holes)}";
    }

    /// <summary>An escape hatch was used, a disallowed axiom was assumed, or the statement proved is not the one asked for.</summary>
    public sealed record Unsound(IReadOnlyList<string> Violations) : Verdict
    {
        public override string Name => "unsound";

        public override string Summary => $"unsound: {string.Join("; ", Violations)}";
    }

    /// <summary>The prover did not finish within the time limit and was killed.</summary>
    public sealed record Timeout(TimeSpan Limit) : Verdict
    {
        public override string Name => "timeout";

        public override string Summary => $"timeout: no answer within {Limit.TotalSeconds:0.###} s";
    }

    /// <summary>The prover needed for this language is not installed or not usable here.</summary>
    public sealed record Unavailable(string Prover, string Reason, string InstallHint) : Verdict
    {
        public override string Name => "unavailable";

        public override string Summary => $"unavailable: {Prover}: {Reason}. {InstallHint}";
    }

    /// <summary>The prover crashed, ran out of memory, or the service failed; says nothing about the proof.</summary>
    public sealed record Error(string Reason, int? ExitCode = null, bool OutOfMemory = false) : Verdict
    {
        public override string Name => "error";

        public override string Summary => $"error: {Reason}";
    }
}
