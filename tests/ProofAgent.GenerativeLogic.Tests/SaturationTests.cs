namespace ProofAgent.GenerativeLogic.Tests;

public sealed class SaturationTests
{
    private static readonly Theory Peano = Theory.Load(Repo.Peano);

    private static readonly SaturationLimits Unbounded = new(MaxRounds: 100, MaxFacts: 100_000, MaxWitnesses: 0, MaxWitnessDepth: 0);

    private static Pattern P(string rel, params string[] args) => new(rel, args);

    private static BlockRule R(string name, string[] vars, Pattern[] premises, Pattern conclusion) =>
        new(name, new Rule(name, vars, premises, new RuleConclusion.Atom(conclusion)), Demand: false);

    private static (List<string> Facts, bool Holds, bool Contradiction) Saturate(IReadOnlyList<string> elements, IReadOnlyList<BlockRule> rules, IReadOnlyList<Pattern> hypotheses, Pattern? goal, bool semiNaive)
    {
        var sat = new Saturation(elements, rules, Unbounded, semiNaive);
        foreach (var h in hypotheses)
        {
            sat.AddHypothesis(h, "h");
        }

        var holds = sat.Run(goal, CancellationToken.None);
        return ([.. sat.LiveFacts().Select(f => f.ToString()).Order(StringComparer.Ordinal)], holds, sat.Contradiction);
    }

    [Fact]
    public void Semi_naive_evaluation_reaches_the_naive_fixpoint_of_a_transitive_closure()
    {
        string[] chain = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"];
        BlockRule[] rules =
        [
            R("trans", ["x", "y", "z"], [P("le", "x", "y"), P("le", "y", "z")], P("le", "x", "z")),
            R("refl", ["x", "y"], [P("le", "x", "y")], P("le", "x", "x")),
            R("refl2", ["x", "y"], [P("le", "x", "y")], P("le", "y", "y")),
            // Antisymmetry merges elements, so rewritten facts must come back through the delta.
            R("antisym", ["x", "y"], [P("le", "x", "y"), P("le", "y", "x")], P("=", "x", "y")),
        ];
        Pattern[] hypotheses = [.. chain.Skip(1).Select((e, i) => P("le", chain[i], e)), P("le", "a5", "a3")];

        var naive = Saturate(chain, rules, hypotheses, null, semiNaive: false);
        var semi = Saturate(chain, rules, hypotheses, null, semiNaive: true);

        Assert.Equal(naive.Facts, semi.Facts);
        Assert.Contains("(le[a0,a7])", semi.Facts);
        Assert.DoesNotContain(semi.Facts, f => f.Contains("a4", StringComparison.Ordinal) || f.Contains("a5", StringComparison.Ordinal)); // merged into a3
        // 6 classes in a chain: 6 * 7 / 2 pairs.
        Assert.Equal(21, semi.Facts.Count);
    }

    [Fact]
    public void Semi_naive_evaluation_reaches_the_naive_fixpoint_of_the_peano_axioms()
    {
        // The anchor's rules without witnesses: typing, recursion equations, single-valuedness (merges), injectivity.
        var rules = Peano.Axioms.Select(a => new BlockRule(RuleRefs.Axiom(a.Name), a, Demand: false)).ToList();
        string[] elements = [.. Peano.Constants, "a", "b", "c", "d", "e", "f", "g"];
        Pattern[] hypotheses =
        [
            .. Peano.Facts,
            P("in3", "a", "b", "c", "+"), P("in2", "b", "d", "s"), P("in2", "c", "e", "s"), P("in3", "a", "d", "f", "+"),
            P("in3", "a", "i0", "g", "*"), P("in3", "g", "a", "b", "+"), P("in2", "a", "d", "s"),
        ];

        var naive = Saturate(elements, rules, hypotheses, null, semiNaive: false);
        var semi = Saturate(elements, rules, hypotheses, null, semiNaive: true);

        Assert.False(semi.Contradiction);
        Assert.Equal(naive.Facts, semi.Facts);
        // a + s(b) = s(a + b) = e, so f = e; s(a) = s(b) = d, so b = a; a * 0 = 0, so g = i0.
        Assert.Contains("(in3[a,d,e,+])", semi.Facts);
        Assert.Contains("(in3[i0,a,a,+])", semi.Facts);
        Assert.DoesNotContain(semi.Facts, f => f.Contains('f', StringComparison.Ordinal) || f.Contains('b', StringComparison.Ordinal) || f.Contains('g', StringComparison.Ordinal));
    }

    [Fact]
    public void A_merged_rule_constant_makes_every_rule_join_in_full_again()
    {
        // c is named by rule "q" and is the larger element, so the merge c = d keeps d: the old fact p(d,e) only matches
        // p(c,x) after the merge, and no new fact mentions it.
        string[] elements = ["d", "e", "c"];
        BlockRule[] rules =
        [
            R("q", ["x"], [P("p", "c", "x")], P("q", "x")),
            R("eq", ["y"], [P("t", "y")], P("=", "y", "c")),
        ];
        Pattern[] hypotheses = [P("p", "d", "e"), P("t", "d")];

        foreach (var semiNaive in new[] { false, true })
        {
            var (facts, holds, _) = Saturate(elements, rules, hypotheses, P("q", "e"), semiNaive);
            Assert.True(holds, $"semiNaive={semiNaive}: {string.Join(' ', facts)}");
        }
    }

    [Fact]
    public void Induction_is_tried_on_operation_inputs_only()
    {
        var prover = new Prover(Peano, SaturationLimits.Default);
        var comm = new Statement(["a", "b", "c"], [P("in3", "a", "b", "c", "+")], P("in3", "b", "a", "c", "+"));
        Assert.Equal(["a", "b"], prover.InductionCandidates(comm));
        var succ = new Statement(["a", "b", "c", "d"], [P("in2", "a", "b", "s"), P("in3", "b", "c", "d", "*")], P("in3", "c", "b", "d", "*"));
        Assert.Equal(["a", "b", "c"], prover.InductionCandidates(succ));
    }
}

public sealed class PeanoRunTests
{
    private static readonly Theory Peano = Theory.Load(Repo.Peano);

    private static Pattern P(string rel, params string[] args) => new(rel, args);

    /// <summary>The targets for multiplication, stated by hand (the + ones are <see cref="EngineTests.Targets"/>).</summary>
    private static readonly (string Name, Statement Statement)[] MulTargets =
    [
        ("one_mul", new(["a", "b"], [P("in3", "i1", "a", "b", "*")], P("=", "a", "b"))),
        ("mul_comm", new(["a", "b", "c"], [P("in3", "a", "b", "c", "*")], P("in3", "b", "a", "c", "*"))),
        ("mul_assoc", new(["a", "b", "c", "d", "e", "f"], [P("in3", "a", "b", "d", "*"), P("in3", "b", "c", "e", "*"), P("in3", "a", "e", "f", "*")], P("in3", "d", "c", "f", "*"))),
        ("left_distrib", new(["a", "b", "c", "d", "e", "f", "g"], [P("in3", "b", "c", "d", "+"), P("in3", "a", "d", "e", "*"), P("in3", "a", "b", "f", "*"), P("in3", "a", "c", "g", "*")], P("in3", "f", "g", "e", "+"))),
        ("right_distrib", new(["a", "b", "c", "d", "e", "f", "g"], [P("in3", "a", "b", "d", "+"), P("in3", "d", "c", "e", "*"), P("in3", "a", "c", "f", "*"), P("in3", "b", "c", "g", "*")], P("in3", "f", "g", "e", "+"))),
    ];

    [Fact]
    public void The_peano_run_proves_every_candidate_with_the_same_output_for_any_number_of_jobs()
    {
        var one = new GlEngine(GlOptions.Default.WithJobs(1)).Run(Peano);
        var two = new GlEngine(GlOptions.Default.WithJobs(2)).Run(Peano);

        Assert.Empty(one.Unproved);
        Assert.Equal(one.AfterFilters, one.Proved.Count);
        Assert.Equal(GlExports.ToJson(GlExports.Graph(Peano, one.Proved)), GlExports.ToJson(GlExports.Graph(Peano, two.Proved)));
        Assert.All(ProofChecker.CheckAll(Peano, one.Proved), c => Assert.True(c.Valid, $"{c.Theorem}: {c.Error}"));
        // Every target of the issue follows from the proved theorems by forward chaining alone.
        var prover = new Prover(Peano, SaturationLimits.Default);
        foreach (var (name, statement) in EngineTests.Targets.Concat(MulTargets))
        {
            Assert.True(prover.Prove(statement, one.Proved, allowInduction: false, CancellationToken.None) is not null, $"{name} does not follow from the run's theorems");
        }
    }
}
