using ProofAgent.Benchmarks.Eval;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Agent.Tests;

public sealed class BaselinePortfolioTests
{
    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Should_prove_what_the_fixed_portfolio_closes_through_the_real_checker_and_fail_otherwise()
    {
        var provers = Agents.Access();
        var easy = new BenchmarkProblem("easy", "test", ProofLanguage.Coq, "Theorem easy : forall n : nat, n + 0 = n.\nProof.\nAdmitted.\n");
        var wrong = new BenchmarkProblem("wrong", "test", ProofLanguage.Coq, "Theorem wrong : forall n : nat, n = n + 1.\nProof.\nAdmitted.\n");

        var proved = await BaselinePortfolio.RunAsync(easy, provers, BaselinePortfolio.Imports, TimeSpan.FromSeconds(60), CancellationToken.None);
        var failed = await BaselinePortfolio.RunAsync(wrong, provers, BaselinePortfolio.Imports, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.True(proved.Proved, proved.Detail);
        Assert.StartsWith(BaselinePortfolio.Imports, proved.Proof, StringComparison.Ordinal);
        Assert.Contains(BaselinePortfolio.Script, proved.Proof, StringComparison.Ordinal);
        Assert.Equal(1, proved.ProverCalls);
        Assert.False(failed.Proved);
        Assert.Null(failed.Proof);
        Assert.False(string.IsNullOrEmpty(failed.Detail));
    }

    [Fact]
    public void Should_keep_the_selected_problems_in_benchmark_order_and_name_the_unknown_ones()
    {
        BenchmarkProblem[] problems = [.. new[] { "a", "b", "c" }.Select(n => new BenchmarkProblem(n, "test", ProofLanguage.Coq, ""))];

        Assert.Equal(["a", "c"], ProblemSelection.Select(problems, "--only", ["c", " a ", "# comment", ""]).Select(p => p.Name));
        Assert.Equal("--only-file: no problem named 'x', 'z' in this split", Assert.Throws<ArgumentException>(() => ProblemSelection.Select(problems, "--only-file", ["z", "a", "x"])).Message);
        Assert.Equal("--only: no problem names given", Assert.Throws<ArgumentException>(() => ProblemSelection.Select(problems, "--only", ["# none"])).Message);
    }
}
