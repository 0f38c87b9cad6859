namespace ProofAgent.GenerativeLogic;

/// <summary>A theorem: for all <see cref="Vars"/>, the premises imply the conclusion (an atom or =), under the anchor.</summary>
public sealed record Statement(IReadOnlyList<string> Vars, IReadOnlyList<Pattern> Premises, Pattern Conclusion)
{
    /// <summary>GL's syntax: (>[vars] (Anchor[params]) (>[v...] P1 (>[...] P2 ... C))), each variable bound where it first occurs.</summary>
    public string ToMpl(Theory theory)
    {
        var constants = theory.Constants.Where(c => Premises.Append(Conclusion).Any(p => p.Args.Contains(c))).ToList();
        var anchor = $"({theory.Anchor.Name}[{string.Join(',', theory.Constants)}])";
        var seen = new HashSet<string>(theory.Constants, StringComparer.Ordinal);
        var body = Conclusion.ToString();
        var parts = new List<(List<string> Vars, Pattern Premise)>();
        foreach (var p in Premises)
        {
            var fresh = p.Args.Where(a => Vars.Contains(a) && seen.Add(a)).ToList();
            parts.Add((fresh, p));
        }

        for (var i = parts.Count - 1; i >= 0; i--)
        {
            body = $"(>[{string.Join(',', parts[i].Vars)}]{parts[i].Premise}{body})";
        }

        return $"(>[{string.Join(',', constants)}]{anchor}{body})";
    }

    public Rule AsRule(string name) => new(name, Vars, Premises, new RuleConclusion.Atom(Conclusion));

    public override string ToString() => $"∀{string.Join(',', Vars)}. {string.Join(" ∧ ", Premises)} → {Conclusion}";
}

/// <summary>How a rule is named in a step: an axiom of the anchor, a proved theorem, or the induction hypothesis.</summary>
public static class RuleRefs
{
    public const string InductionHypothesis = "ih";

    public static string Axiom(string name) => "axiom:" + name;

    public static string Theorem(string name) => "theorem:" + name;
}

/// <summary>One step of a proof block. Facts are numbered by <see cref="Id"/>; premises refer to earlier ids.</summary>
public abstract record ProofStep(int Id)
{
    /// <summary>A premise of the task, a ground fact of the anchor, or an induction case assumption.</summary>
    public sealed record Hypothesis(int Id, Pattern Fact, string Label) : ProofStep(Id);

    /// <summary>A rule instantiated with <see cref="Substitution"/> (one element per rule variable) on the premise facts.</summary>
    public sealed record Apply(int Id, string Rule, IReadOnlyList<string> Substitution, IReadOnlyList<int> Premises, Pattern Fact) : ProofStep(Id);

    /// <summary>An existential rule: fresh elements <see cref="Witnesses"/> with the facts numbered Id, Id+1, ...</summary>
    public sealed record Witness(int Id, string Rule, IReadOnlyList<string> Substitution, IReadOnlyList<int> Premises, IReadOnlyList<string> Witnesses, IReadOnlyList<Pattern> Facts) : ProofStep(Id);

    /// <summary>From fact <see cref="Source"/> and equality a = b (<see cref="Equality"/>), replace a by b at <see cref="Positions"/>.</summary>
    public sealed record Rewrite(int Id, int Source, int Equality, IReadOnlyList<int> Positions, Pattern Fact) : ProofStep(Id);

    /// <summary>From a = b, b = a.</summary>
    public sealed record Symmetry(int Id, int Equality, Pattern Fact) : ProofStep(Id);

    /// <summary>x = x.</summary>
    public sealed record Reflexivity(int Id, string Element, Pattern Fact) : ProofStep(Id);
}

/// <summary>A proof block: its steps, in order, and the id of the fact that closes it (the goal or a contradiction).</summary>
public sealed record ProofBlock(IReadOnlyList<ProofStep> Steps, int Closing);

/// <summary>How a theorem was proved.</summary>
public abstract record TheoremProof
{
    /// <summary>Forward chaining from the premises.</summary>
    public sealed record Direct(ProofBlock Block) : TheoremProof;

    /// <summary>
    /// Induction on <see cref="Var"/>: <see cref="Typing"/> shows Var is in N from the premises; <see cref="Base"/> proves
    /// the statement with Var = zero; <see cref="Step"/> proves it for m with in2[n,m,s], with the statement for n as rule "ih".
    /// </summary>
    public sealed record Induction(string Var, string N, string M, ProofBlock Typing, ProofBlock Base, ProofBlock Step) : TheoremProof;
}

/// <summary>A proved theorem with its proof and the theorems its proof uses.</summary>
public sealed record ProvedTheorem(string Name, Statement Statement, TheoremProof Proof, IReadOnlyList<string> Uses)
{
    /// <summary>Set by the compressor: the theorem follows from these others by forward chaining alone.</summary>
    public IReadOnlyList<string>? RedundantGiven { get; init; }
}
