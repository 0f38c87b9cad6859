using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using Xunit;

namespace ProofAgent.Provers.Tests.Smt;

public sealed class SmtSolverTests
{
    private static readonly ProcessRunner Runner = new(new ResourceLimitIsolation());

    public static TheoryData<string> Solvers => ["z3", "cvc5"];

    private static ISmtSolver Solver(string name) => SmtSolverFactory.Create(SmtOptions.Default.WithSolver(name), Runner);

    [RequiresToolsTheory("z3", "cvc5", Timeout = 60_000)]
    [MemberData(nameof(Solvers))]
    public async Task I_get_a_model_that_really_satisfies_the_formula(string solver)
    {
        var answer = await Solver(solver).CheckSatAsync(new SmtQuery("(declare-const x Int)(declare-const y Int)(assert (and (> x 2) (< y (- x 10)) (= (mod x 7) 3)))"));

        var model = Assert.IsType<SmtAnswer.Sat>(answer).Model;
        Assert.NotNull(model);
        var x = ParseInt(model.Values["x"]);
        var y = ParseInt(model.Values["y"]);
        Assert.True(x > 2 && y < x - 10 && ((x % 7) + 7) % 7 == 3, $"model {model} does not satisfy the formula");
    }

    [RequiresToolsTheory("z3", "cvc5", Timeout = 60_000)]
    [MemberData(nameof(Solvers))]
    public async Task Should_answer_unsat_for_a_contradiction(string solver)
    {
        var answer = await Solver(solver).CheckSatAsync(new SmtQuery("(declare-const x Real)(assert (< (* x x) 0.0))"));

        Assert.IsType<SmtAnswer.Unsat>(answer);
    }

    [RequiresToolsTheory("z3", "cvc5", Timeout = 60_000)]
    [MemberData(nameof(Solvers))]
    public async Task Should_prove_a_valid_formula_and_refute_an_invalid_one_with_a_counterexample(string solver)
    {
        var declarations = "(declare-const a Int)(declare-const b Int)";

        var valid = await Solver(solver).ProveValidAsync(declarations, "(=> (and (> a 0) (> b a)) (>= (+ a b) 3))", TimeSpan.FromSeconds(20));
        var invalid = await Solver(solver).ProveValidAsync(declarations, "(=> (and (> a 0) (> b a)) (> (+ a b) 3))", TimeSpan.FromSeconds(20));

        Assert.IsType<ValidityAnswer.Valid>(valid);
        var counterexample = Assert.IsType<ValidityAnswer.Counterexample>(invalid);
        var a = ParseInt(counterexample.Model.Values["a"]);
        var b = ParseInt(counterexample.Model.Values["b"]);
        Assert.True(a > 0 && b > a && !(a + b > 3), $"{counterexample.Model} is not a counterexample");
    }

    [RequiresToolsTheory("z3", "cvc5", Timeout = 60_000)]
    [MemberData(nameof(Solvers))]
    public async Task Should_give_up_cleanly_within_the_time_limit(string solver)
    {
        // Fermat's last theorem for cubes over the integers: beyond these solvers.
        var query = new SmtQuery("(declare-const x Int)(declare-const y Int)(declare-const z Int)(assert (and (> x 0) (> y 0) (> z 0) (= (+ (* x x x) (* y y y)) (* z z z))))")
            .WithTimeout(TimeSpan.FromSeconds(1));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var answer = await Solver(solver).CheckSatAsync(query);

        Assert.True(answer is SmtAnswer.Unknown or SmtAnswer.Timeout, $"got {answer}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [RequiresToolsFact("z3", "cvc5", Timeout = 60_000)]
    public async Task The_portfolio_should_take_the_first_definite_answer()
    {
        var portfolio = (PortfolioSmtSolver)Solver("portfolio");

        var answer = await portfolio.CheckSatAsync(new SmtQuery("(declare-const x Int)(assert (= (* x x) 49))(assert (< x 0))"));

        var model = Assert.IsType<SmtAnswer.Sat>(answer).Model!;
        Assert.Equal(-7, ParseInt(model.Values["x"]));
        Assert.Contains(portfolio.LastWinner, new[] { "z3", "cvc5" });
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_solver_should_be_unavailable_with_an_install_hint()
    {
        var solver = ProcessSmtSolver.Z3(Runner, SmtOptions.Default with { Z3 = "proofagent-no-such-z3" });

        var answer = await solver.CheckSatAsync(new SmtQuery("(assert true)"));

        var unavailable = Assert.IsType<SmtAnswer.Unavailable>(answer);
        Assert.Contains("apt-get install z3", unavailable.InstallHint, StringComparison.Ordinal);
    }

    [RequiresToolsFact("z3", "cvc5", Timeout = 60_000)]
    public async Task The_script_checker_should_prove_only_when_every_check_sat_is_unsat()
    {
        var checker = new SmtFileChecker([Solver("z3"), Solver("cvc5")]);
        const string Proved = "(declare-const x Int)(push)(assert (< (* x x) 0))(check-sat)(pop)(assert (and (> x 1) (< x 2)))(check-sat)";
        const string NotProved = "(declare-const x Int)(assert (> x 1))(check-sat)(assert (< x 0))(check-sat)";

        var proved = await checker.CheckAsync(new ProofTask(ProofLanguage.Smt, Proved));
        var failed = await checker.CheckAsync(new ProofTask(ProofLanguage.Smt, NotProved));
        var broken = await checker.CheckAsync(new ProofTask(ProofLanguage.Smt, "(assert (> y 1))(check-sat)"));

        Assert.IsType<Verdict.Proved>(proved.Verdict);
        Assert.Equal(["unsat", "unsat"], proved.SmtResults);
        Assert.IsType<Verdict.Failed>(failed.Verdict);
        Assert.Equal(["sat", "unsat"], failed.SmtResults);
        Assert.False(broken.Verdict.IsProved);
    }

    [Fact(Timeout = 30_000)]
    public async Task In_process_z3_should_refuse_an_unusable_native_library_instead_of_crashing()
    {
        var solver = new InProcessZ3Solver();
        var probe = Z3NativeProbe.Run();

        var answer = await solver.CheckSatAsync(new SmtQuery("(declare-const x Int)(assert (> x 2))"));

        if (probe.Usable)
        {
            // A compatible libz3 is installed: the real in-process solver must answer.
            Assert.IsType<SmtAnswer.Sat>(answer);
        }
        else
        {
            var unavailable = Assert.IsType<SmtAnswer.Unavailable>(answer);
            Assert.False(string.IsNullOrWhiteSpace(unavailable.Reason));
            Assert.Contains("libz3", unavailable.Reason + unavailable.InstallHint, StringComparison.Ordinal);
        }
    }

    internal static long ParseInt(string smt)
    {
        var expr = SExpr.ParseAll(smt).Single();
        return expr switch
        {
            SExpr.Atom atom => long.Parse(atom.Text, System.Globalization.CultureInfo.InvariantCulture),
            SExpr.List { Items: [SExpr.Atom { Text: "-" }, SExpr.Atom value] } => -long.Parse(value.Text, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new FormatException($"not an integer: {smt}"),
        };
    }
}
