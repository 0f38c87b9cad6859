namespace ProofAgent.GenerativeLogic.Tests;

public sealed class EngineTests
{
    private static readonly Theory Peano = Theory.Load(Repo.Peano);

    private static Pattern P(string rel, params string[] args) => new(rel, args);

    /// <summary>The target theorems, stated by hand (the generator's own names are checked in the CLI run).</summary>
    internal static IReadOnlyList<(string Name, Statement Statement)> Targets { get; } =
    [
        ("zero_add", new(["a", "b"], [P("in3", "i0", "a", "b", "+")], P("=", "a", "b"))),
        ("succ_add", new(["a", "b", "c", "d", "e"], [P("in3", "a", "b", "c", "+"), P("in2", "a", "d", "s"), P("in2", "c", "e", "s")], P("in3", "d", "b", "e", "+"))),
        ("add_comm", new(["a", "b", "c"], [P("in3", "a", "b", "c", "+")], P("in3", "b", "a", "c", "+"))),
        ("add_succ_inv", new(["a", "b", "c", "d", "e"], [P("in3", "a", "b", "d", "+"), P("in2", "b", "c", "s"), P("in3", "a", "c", "e", "+")], P("in2", "d", "e", "s"))),
        ("add_assoc", new(["a", "b", "c", "d", "e", "f"], [P("in3", "a", "b", "d", "+"), P("in3", "b", "c", "e", "+"), P("in3", "a", "e", "f", "+")], P("in3", "d", "c", "f", "+"))),
        ("add_cancel", new(["a", "b", "c", "d"], [P("in3", "a", "b", "c", "+"), P("in3", "a", "d", "c", "+")], P("=", "b", "d"))),
    ];

    private static List<ProvedTheorem> ProveTargets()
    {
        var prover = new Prover(Peano, SaturationLimits.Default);
        var proved = new List<ProvedTheorem>();
        foreach (var (name, statement) in Targets)
        {
            var proof = prover.Prove(statement, proved, allowInduction: true, CancellationToken.None);
            Assert.True(proof is not null, $"{name} was not proved");
            proved.Add(new ProvedTheorem(name, statement, proof!, GlEngine.Uses(proof!)));
        }

        return proved;
    }

    [Fact]
    public void Peano_definitions_normalise_to_rules_and_an_induction_principle()
    {
        Assert.Equal(["N", "i0", "s", "+", "*", "i1"], Peano.Constants);
        Assert.Equal(P("induction", "N", "i0", "s"), Peano.Induction);
        Assert.Contains(P("in2", "i0", "i1", "s"), Peano.Facts);
        Assert.Contains(Peano.Axioms, r => r.Conclusion is RuleConclusion.Exists);
        Assert.Contains(Peano.Axioms, r => r.Conclusion is RuleConclusion.Contradiction);
    }

    [Fact]
    public void Should_prove_commutativity_associativity_cancellation_and_the_checker_replays_them()
    {
        var proved = ProveTargets();
        Assert.All(ProofChecker.CheckAll(Peano, proved), c => Assert.True(c.Valid, $"{c.Theorem}: {c.Error}"));
        Assert.IsType<TheoremProof.Induction>(proved.Single(t => t.Name == "add_comm").Proof);
    }

    [Fact]
    public void Checker_rejects_a_false_statement_with_a_borrowed_proof()
    {
        var proved = ProveTargets();
        var comm = proved.Single(t => t.Name == "add_comm");
        // Same proof, stronger (false) conclusion: b + a = a.
        var forged = comm with { Name = "forged", Statement = comm.Statement with { Conclusion = P("in3", "b", "a", "a", "+") } };
        var outcome = ProofChecker.CheckAll(Peano, [.. proved, forged]).Last();
        Assert.False(outcome.Valid);
    }

    [Fact]
    public void Checker_rejects_a_tampered_step()
    {
        var proved = ProveTargets();
        var assoc = proved.Single(t => t.Name == "add_assoc");
        var ind = Assert.IsType<TheoremProof.Induction>(assoc.Proof);
        var steps = ind.Step.Steps.ToList();
        var i = steps.FindIndex(s => s is ProofStep.Apply);
        var apply = (ProofStep.Apply)steps[i];
        steps[i] = apply with { Fact = new Pattern(apply.Fact.Rel, [.. apply.Fact.Args.Reverse()]) };
        var tampered = assoc with { Proof = ind with { Step = ind.Step with { Steps = steps } } };
        Assert.False(ProofChecker.CheckAll(Peano, [.. proved.Where(t => t != assoc), tampered]).Last().Valid);
    }

    [Fact]
    public void Should_not_prove_a_false_statement()
    {
        var prover = new Prover(Peano, SaturationLimits.Default);
        var proved = ProveTargets();
        // a + b = a for all a, b: false (b = 1).
        var wrong = new Statement(["a", "b", "c"], [P("in3", "a", "b", "c", "+")], P("=", "a", "c"));
        Assert.Null(prover.Prove(wrong, proved, allowInduction: true, CancellationToken.None));
    }

    [Fact]
    public void Counterexample_filter_rejects_false_and_keeps_true_candidates()
    {
        var generator = new ConjectureGenerator(Peano, ConjectureOptions.Default);
        var model = new FiniteModel(Peano, generator.Operations, 6, CancellationToken.None);
        Assert.Equal(7, model.Size);
        Assert.True(model.HasCounterexample(new Statement(["a", "b", "c"], [P("in3", "a", "b", "c", "*")], P("in3", "a", "b", "c", "+"))));
        Assert.False(model.HasCounterexample(Targets.Single(t => t.Name == "add_assoc").Statement));
        Assert.True(model.HasCounterexample(new Statement(["a", "b", "c", "d"], [P("in3", "a", "b", "c", "*"), P("in3", "a", "d", "c", "*")], P("=", "b", "d"))));
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Coq_checks_the_exported_proofs()
    {
        var proved = ProveTargets();
        var source = CoqExport.Render(Peano, proved);
        var (ok, error) = await GlRunner.CheckCoqAsync(Tools.Coq(), source, CancellationToken.None);
        Assert.True(ok == true, error);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Coq_rejects_an_export_with_a_forged_theorem()
    {
        var proved = ProveTargets();
        var comm = proved.Single(t => t.Name == "add_comm");
        var forged = comm with { Name = "forged", Statement = comm.Statement with { Conclusion = P("in3", "b", "a", "a", "+") } };
        var (ok, _) = await GlRunner.CheckCoqAsync(Tools.Coq(), CoqExport.Render(Peano, [.. proved, forged]), CancellationToken.None);
        Assert.False(ok);
    }

    [Fact]
    public void Proof_graph_json_round_trips_and_replays()
    {
        var proved = ProveTargets();
        var json = GlExports.ToJson(GlExports.Graph(Peano, proved));
        var (theory, read) = GlExports.Read(json, "mem");
        Assert.Equal(proved.Count, read.Count);
        Assert.All(ProofChecker.CheckAll(theory, read), c => Assert.True(c.Valid, c.Error));
        Assert.Equal(json, GlExports.ToJson(GlExports.Graph(theory, read)));
    }

    [RequiresSharedFact]
    public void Reads_gls_own_layout()
    {
        var theory = Theory.Load(TestPaths.SharedPath("anchors", "gl", "v0.7-6e5b9a4"));
        Assert.Equal("AnchorPeano", theory.Anchor.Name);
        Assert.Equal(P("induction", "N", "i0", "s"), theory.Induction);
        Assert.True(theory.Axioms.Count > 15);
    }

    /// <summary>
    /// GL's own Peano input (../shared, AGPL data read in place, never copied): its NaturalNumbers uses fXY and fXYZ,
    /// defined in files read after it, and its + axiom needs four instantiations to become a rule.
    /// </summary>
    [RequiresSharedFact("coqc", Timeout = 300_000)]
    public async Task Coq_accepts_the_export_of_a_run_on_gls_own_input()
    {
        var theory = Theory.Load(TestPaths.SharedPath("anchors", "gl", "v0.7-6e5b9a4"));
        var result = await Task.Run(() => new GlEngine(GlOptions.Default.WithJobs(2)).Run(theory, CancellationToken.None));
        Assert.True(result.Proved.Count >= 50, $"only {result.Proved.Count} theorems proved");
        Assert.All(ProofChecker.CheckAll(theory, result.Proved), c => Assert.True(c.Valid, c.Error));

        var (ok, error) = await GlRunner.CheckCoqAsync(Tools.Coq(), CoqExport.Render(theory, result.Proved), CancellationToken.None);

        Assert.True(ok == true, error);
    }

    [Fact]
    public void Bad_definitions_name_file_and_line()
    {
        var dir = Directory.CreateTempSubdirectory("gl-bad-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.mpl"), "A[x] := (in[x,Y])\nB[x] := (A[x,x])\n");
            var e = Assert.Throws<GlInputException>(() => Theory.Load(dir.FullName));
            Assert.Contains("a.mpl:2", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
