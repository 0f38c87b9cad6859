using System.Runtime.CompilerServices;

namespace ProofAgent.GenerativeLogic;

/// <summary>
/// Proves one statement: forward chaining, else induction on each variable in turn that occurs as an operation input
/// (induction on an output, e.g. on c in a + b = c, is never needed: the recursive axioms recurse on inputs).
/// </summary>
internal sealed class Prover
{
    public const string InductionN = "n";
    public const string InductionM = "m";

    private readonly Theory _theory;
    private readonly SaturationLimits _limits;
    private readonly List<BlockRule> _axiomRules;
    private readonly HashSet<(string Rel, int Position)> _outputs = [];
    private readonly ConditionalWeakTable<ProvedTheorem, BlockRule> _theoremRules = new();

    public Prover(Theory theory, SaturationLimits limits)
    {
        _theory = theory;
        _limits = limits;
        // Axioms that build new operation facts may ask for witnesses; uniqueness, typing and negation axioms may not (they
        // would ask for every operation on every element).
        _axiomRules = [.. theory.Axioms.Select(a => new BlockRule(RuleRefs.Axiom(a.Name), a, Demand: a.Conclusion is RuleConclusion.Atom { Fact.Rel: not ("=" or "in") }))];
        // Output positions of the operations: the existential of a totality axiom, ∃z. in[z,Y] ∧ R[.., z, ..].
        foreach (var a in theory.Axioms)
        {
            if (a.Conclusion is RuleConclusion.Exists { Vars: [var z], Facts: [{ Rel: "in" }, var f] } && f.Args.Count(x => x == z) == 1)
            {
                _outputs.Add((f.Rel, f.Args.ToList().IndexOf(z)));
            }
        }
    }

    /// <summary>The variables worth an induction: those in an input position of some premise (or in no premise).</summary>
    internal IReadOnlyList<string> InductionCandidates(Statement statement) =>
        [.. statement.Vars.Where(v => statement.Premises.All(p => !p.Args.Contains(v))
            || statement.Premises.Any(p => Enumerable.Range(0, p.Args.Count).Any(i => p.Args[i] == v && !_outputs.Contains((p.Rel, i)))))];

    public TheoremProof? Prove(Statement statement, IReadOnlyList<ProvedTheorem> theorems, bool allowInduction, CancellationToken cancellationToken)
    {
        var direct = Block(statement.Vars, statement.Premises, statement.Conclusion, theorems, extraRules: [], extraHyps: [], cancellationToken);
        if (direct is not null)
        {
            return new TheoremProof.Direct(direct);
        }

        if (!allowInduction || _theory.Induction is not { } induction)
        {
            return null;
        }

        var (nSet, zero, succ) = (induction.Args[0], induction.Args[1], induction.Args[2]);
        var n = Fresh(InductionN, statement.Vars);
        var m = Fresh(InductionM, statement.Vars);
        foreach (var v in InductionCandidates(statement))
        {
            var others = statement.Vars.Where(x => x != v).ToList();
            var typing = Block(statement.Vars, statement.Premises, new Pattern("in", [v, nSet]), theorems, [], [], cancellationToken);
            if (typing is null)
            {
                continue;
            }

            var toZero = Map(v, zero);
            var baseBlock = Block(others, [.. statement.Premises.Select(p => p.Rename(toZero))], statement.Conclusion.Rename(toZero), theorems, [], [], cancellationToken);
            if (baseBlock is null)
            {
                continue;
            }

            var toN = Map(v, n);
            var toM = Map(v, m);
            var ih = new Rule("ih", others, [.. statement.Premises.Select(p => p.Rename(toN))], new RuleConclusion.Atom(statement.Conclusion.Rename(toN)));
            var step = Block(
                [.. others, n, m],
                [.. statement.Premises.Select(p => p.Rename(toM))],
                statement.Conclusion.Rename(toM),
                theorems,
                [new BlockRule(RuleRefs.InductionHypothesis, ih, Demand: true)],
                [(new Pattern("in", [n, nSet]), "induction: n in N"), (new Pattern("in2", [n, m, succ]), "induction: s(n) = m")],
                cancellationToken,
                // Recursion: every operation applied to m is also wanted at n, where the hypothesis speaks.
                [.. statement.Premises.Append(statement.Conclusion).Where(p => p.Args.Contains(v)).Select(p => p.Rename(toN))]);
            if (step is not null)
            {
                return new TheoremProof.Induction(v, n, m, typing, baseBlock, step);
            }
        }

        return null;
    }

    private static Dictionary<string, string> Map(string from, string to) => new(StringComparer.Ordinal) { [from] = to };

    private string Fresh(string name, IReadOnlyList<string> vars)
    {
        while (vars.Contains(name) || _theory.Constants.Contains(name))
        {
            name += "'";
        }

        return name;
    }

    private ProofBlock? Block(
        IReadOnlyList<string> elements,
        IReadOnlyList<Pattern> premises,
        Pattern goal,
        IReadOnlyList<ProvedTheorem> theorems,
        IReadOnlyList<BlockRule> extraRules,
        IReadOnlyList<(Pattern Fact, string Label)> extraHyps,
        CancellationToken cancellationToken,
        IReadOnlyList<Pattern>? demands = null)
    {
        var rules = new List<BlockRule>();
        rules.AddRange(extraRules);
        rules.AddRange(theorems.Select(t => _theoremRules.GetValue(t, t => new BlockRule(RuleRefs.Theorem(t.Name), t.Statement.AsRule(t.Name), Demand: true))));
        rules.AddRange(_axiomRules);
        var sat = new Saturation([.. _theory.Constants, .. elements], rules, _limits);
        foreach (var f in _theory.Facts)
        {
            sat.AddHypothesis(f, "anchor");
        }

        foreach (var (fact, label) in extraHyps)
        {
            sat.AddHypothesis(fact, label);
        }

        for (var i = 0; i < premises.Count; i++)
        {
            sat.AddHypothesis(premises[i], $"premise {i + 1}");
        }

        foreach (var d in demands ?? [])
        {
            sat.SeedDemand(d);
        }

        return sat.Run(goal, cancellationToken) ? sat.Extract(goal) : null;
    }
}
