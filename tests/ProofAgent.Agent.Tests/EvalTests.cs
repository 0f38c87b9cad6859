using System.Numerics;
using System.Text.Json;
using ProofAgent.Benchmarks.Eval;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Agent.Tests;

public sealed class EvalTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("agent-eval-tests-");

    public void Dispose() => _directory.Delete(recursive: true);

    [RequiresFact(true)]
    public void The_three_minif2f_formats_load_with_holes_and_no_informal_proof_in_the_source()
    {
        var rocq = MiniF2F.Load(ProofLanguage.Coq, TestPaths.SharedPath("minif2f", "rocq"), "test");
        var lean = MiniF2F.Load(ProofLanguage.Lean4, TestPaths.SharedPath("minif2f", "minif2f_lean4.jsonl"), "test");
        var isabelle = MiniF2F.Load(ProofLanguage.Isabelle, TestPaths.SharedPath("minif2f", "minif2f_isabelle.jsonl"), "all");

        Assert.Equal(244, rocq.Count);
        Assert.Equal(244, lean.Count);
        Assert.Equal(488, isabelle.Count);
        Assert.All(rocq, p => Assert.Single(ProofAgent.Agent.Coq.CoqProofFile.FindGaps(ProofAgent.Hosting.SourceScanners.For(ProofLanguage.Coq)!, p.Source)));
        Assert.All(lean, p => Assert.EndsWith("sorry\n", p.Source, StringComparison.Ordinal));
        Assert.All(isabelle, p => Assert.Contains("sorry", p.Source, StringComparison.Ordinal));
        Assert.All(lean.Where(p => p.InformalProof is { Length: > 40 }), p => Assert.DoesNotContain(p.InformalProof!, p.Source, StringComparison.Ordinal));
        Assert.Equal("mathd_algebra", rocq.First(p => p.Name == "mathd_algebra_478").Category);
        Assert.Equal("amc12a", rocq.First(p => p.Name.StartsWith("amc12a_", StringComparison.Ordinal)).Category);
        Assert.Equal(rocq.Select(p => p.Name).Order(StringComparer.Ordinal), rocq.Select(p => p.Name));
    }

    [Fact]
    public void Bad_data_is_reported_with_its_file_and_line()
    {
        var path = Path.Combine(_directory.FullName, "bad.jsonl");
        File.WriteAllText(path, "{\"name\":\"a\",\"split\":\"test\",\"header\":\"\",\"formal_statement\":\"theorem a : True := by\"}\n{not json\n");

        var error = Assert.Throws<InvalidDataException>(() => MiniF2F.Load(ProofLanguage.Lean4, path, "test"));

        Assert.Contains("bad.jsonl:2", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => MiniF2F.Load(ProofLanguage.Coq, Path.Combine(_directory.FullName, "absent"), "test"));
    }

    [Fact]
    public async Task Resume_runs_only_the_problems_not_yet_done()
    {
        var problems = Problems(5);
        var calls = new List<string>();
        Task<AttemptResult> Solve(BenchmarkProblem p, CancellationToken ct)
        {
            lock (calls)
            {
                calls.Add(p.Name);
            }

            return Task.FromResult(new AttemptResult(p.Name.EndsWith('1') ? new Verdict.Failed("no") : Verdict.Proved.Instance, "proof", 0, 0, 3, 10));
        }

        await new EvalRunner(new EvalOptions(_directory.FullName) { Limit = 3, Jobs = 2 }).RunAsync(problems, Solve);
        Assert.Equal(3, calls.Count);
        calls.Clear();

        var all = await new EvalRunner(new EvalOptions(_directory.FullName) { Resume = true, Jobs = 2 }).RunAsync(problems, Solve);

        Assert.Equal(["p3", "p4"], calls.Order(StringComparer.Ordinal));
        Assert.Equal(5, all.Count);
        Assert.Equal(5, EvalRunner.ReadResults(_directory.FullName).Count);
        Assert.Equal(4, all.Count(r => r.Proved));
    }

    [Fact]
    public async Task A_crashing_problem_becomes_an_error_line_and_the_batch_goes_on()
    {
        var problems = Problems(4);
        static Task<AttemptResult> Solve(BenchmarkProblem p, CancellationToken ct) =>
            p.Name == "p2" ? throw new InvalidOperationException("boom") : Task.FromResult(new AttemptResult(Verdict.Proved.Instance, "proof", 0, 0, 1, 5));

        var results = await new EvalRunner(new EvalOptions(_directory.FullName) { Jobs = 3 }).RunAsync(problems, Solve);

        Assert.Equal(4, results.Count);
        var crashed = Assert.Single(results, r => r.Name == "p2");
        Assert.IsType<Verdict.Error>(crashed.Verdict);
        Assert.Contains("boom", crashed.Error, StringComparison.Ordinal);
        Assert.Equal(3, results.Count(r => r.Proved));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(_directory.FullName, EvalRunner.ResultsFile)).Length);
    }

    [Theory]
    [InlineData(10, 0, 1)]
    [InlineData(10, 3, 1)]
    [InlineData(10, 3, 5)]
    [InlineData(32, 1, 8)]
    [InlineData(64, 17, 32)]
    [InlineData(5, 5, 5)]
    public void Pass_at_k_matches_the_unbiased_estimator_formula(int n, int c, int k)
    {
        var expected = 1.0 - ((double)Binomial(n - c, k) / (double)Binomial(n, k));

        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);
    }

    [Fact]
    public void Pass_at_k_rejects_impossible_counts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 5));
        Assert.Equal(0.5, PassAtK.Mean([(2, 1), (2, 0), (2, 2)], 1), 12);
    }

    [Fact]
    public void Reports_carry_the_rates_per_category_and_the_final_line()
    {
        var results = new List<ProblemResult>
        {
            new("mathd_algebra_1", "test", "mathd_algebra", Verdict.Proved.Instance, "p", 0, 0, 4, 100) { Baseline = new AttemptResult(Verdict.Proved.Instance, "b", 0, 0, 1, 50) },
            new("mathd_algebra_2", "test", "mathd_algebra", new Verdict.Failed("no"), null, 0, 0, 9, 200) { Baseline = new AttemptResult(new Verdict.Failed("no"), null, 0, 0, 1, 50) },
            new("imo_1959_p1", "test", "imo", Verdict.Proved.Instance, "p", 0, 0, 2, 300) { Baseline = new AttemptResult(new Verdict.Failed("no"), null, 0, 0, 1, 50) },
        };
        var run = new Dictionary<string, string> { ["command"] = "agent eval minif2f", ["machine"] = "test" };

        var summary = EvalReport.Summarize(results, "coq", "test", "portfolio", run);
        EvalReport.Write(_directory.FullName, summary, results);

        Assert.Equal("proved 2/3 (66.7%)", summary.Line);
        Assert.Equal(1, summary.BaselineProved);
        Assert.Equal(["imo", "mathd_algebra"], summary.Categories.Select(c => c.Category));
        Assert.Equal(0.5, summary.Categories.Single(c => c.Category == "mathd_algebra").PassRate);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory.FullName, "summary.json")));
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("proved").GetInt32());
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(_directory.FullName, "report.html")), StringComparison.Ordinal);
        var markdown = File.ReadAllText(Path.Combine(_directory.FullName, "summary.md"));
        Assert.Contains("| imo | 1 | 1 | 100.0% | 0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("`imo_1959_p1` in 0.3 s, 2 prover calls (not by the baseline)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proof_that_ends_past_the_budget_is_proved_but_not_counted_within_it()
    {
        var results = new List<ProblemResult>
        {
            new("in_time", "test", "algebra", Verdict.Proved.Instance, "p", 0, 0, 4, 19_900),
            new("late", "test", "algebra", Verdict.Proved.Instance, "p", 0, 0, 4, 23_550),
            new("failed", "test", "algebra", new Verdict.Failed("no"), null, 0, 0, 9, 20_000),
        };

        var summary = EvalReport.Summarize(results, "coq", "test", null, new Dictionary<string, string>(), budgetSeconds: 20);
        EvalReport.Write(_directory.FullName, summary, results);

        Assert.Equal(2, summary.Proved);
        Assert.Equal(1, summary.ProvedWithinBudget);
        Assert.Equal("proved 2/3 (66.7%), 1/3 (33.3%) within the 20 s budget", summary.Line);
        var markdown = File.ReadAllText(Path.Combine(_directory.FullName, "summary.md"));
        Assert.Contains("`late` in 23.6 s, 4 prover calls — **past the budget**", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("`in_time` in 19.9 s, 4 prover calls —", markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory.FullName, "summary.json")));
        Assert.Equal(1, json.RootElement.GetProperty("provedWithinBudget").GetInt32());
    }

    [Fact]
    public async Task Pass_at_1_to_n_is_reported_per_problem_and_overall_and_verdicts_survive_a_resume()
    {
        var problems = Problems(2);
        static Task<AttemptResult> Solve(BenchmarkProblem p, CancellationToken ct) =>
            Task.FromResult(new AttemptResult(Verdict.Proved.Instance, "proof", 4, p.Name == "p0" ? 1 : 2, 5, 10));

        var results = await new EvalRunner(new EvalOptions(_directory.FullName)).RunAsync(problems, Solve);
        var summary = EvalReport.Summarize(results, "coq", "test", null, new Dictionary<string, string>());
        var resumed = EvalRunner.ReadResults(_directory.FullName);

        Assert.Equal(["pass@1", "pass@2", "pass@3", "pass@4"], summary.PassAtK!.Keys);
        Assert.Equal(((1 / 4.0) + (2 / 4.0)) / 2, summary.PassAtK["pass@1"], 12);
        Assert.Equal(1.0, summary.PassAtK["pass@4"], 12);
        Assert.Equal([PassAtK.Estimate(4, 1, 1), PassAtK.Estimate(4, 1, 2), PassAtK.Estimate(4, 1, 3), 1.0], results[0].PassAtK!);
        Assert.All(resumed.Values, r => Assert.IsType<Verdict.Proved>(r.Verdict));
        Assert.Contains("\"verdict\":\"proved\"", File.ReadAllText(Path.Combine(_directory.FullName, EvalRunner.ResultsFile)), StringComparison.Ordinal);
    }

    private static List<BenchmarkProblem> Problems(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BenchmarkProblem($"p{i}", "test", ProofLanguage.Coq, "Theorem t : True.\nProof.\nAdmitted."))];

    private static BigInteger Binomial(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return BigInteger.Zero;
        }

        BigInteger result = BigInteger.One;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
