using System.Globalization;
using ProofAgent.Provers;
using Xunit;
using static ProofAgent.SmtBridge.Tests.Z3;

namespace ProofAgent.SmtBridge.Tests;

/// <summary><see cref="SmtGoalOracle"/> on goals as coqidetop and Lean print them.</summary>
public sealed class OracleTests
{
    private static readonly SmtGoalOracle Oracle = new(Solver, SmtBridgeOptions.Default.WithCoqScope("R"));

    private static Hypothesis H(string names, string type) => new(names.Split(' '), type);

    [RequiresToolsFact("z3")]
    public async Task Coq_goal_with_a_counterexample_is_refuted_and_the_model_checks()
    {
        var goal = new Goal([H("x", "R"), H("H", "0 < x")], "2 * x + 1 < 7");
        var verdict = Assert.IsType<GoalVerdict.Counterexample>(await Oracle.DecideAsync(ProofLanguage.Coq, goal, SolverTimeout));
        var x = ParseReal(verdict.Model["x"]);
        Assert.True(x > 0, "H fails in the model");
        Assert.False(2 * x + 1 < 7, "the conclusion holds in the model");
    }

    [RequiresToolsFact("z3")]
    public async Task Coq_goal_that_follows_from_its_hypotheses_is_valid()
    {
        var goal = new Goal([H("x", "R"), H("H", "0 < x"), H("H0", "x < 3")], "2 * x + 1 < 7");
        Assert.IsType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Coq, goal, SolverTimeout));
        var nat = new Goal([H("n m", "nat"), H("H", "(n <= m)%nat")], "(m - n + n = m)%nat");
        Assert.IsType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Coq, nat, SolverTimeout));
    }

    [RequiresToolsFact("z3")]
    public async Task A_printed_coq_goal_of_numerals_only_is_not_guessed_into_nat()
    {
        // miniF2F amc12b_2020_p2 under Open Scope R_scope: true in R, false in nat (9951 / 4779 = 2). The printed goal
        // does not show the scope, so an oracle built without one must not refute it.
        var goal = new Goal([], "(100 ^ 2 - 7 ^ 2) / (70 ^ 2 - 11 ^ 2) * ((70 - 11) * (70 + 11) / ((100 - 7) * (100 + 7))) = 1");

        var unscoped = await new SmtGoalOracle(Solver).DecideAsync(ProofLanguage.Coq, goal, SolverTimeout);

        Assert.IsType<GoalVerdict.Untranslatable>(unscoped);
        Assert.IsType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Coq, goal, SolverTimeout));
        var typed = new Goal([H("x", "R"), H("H", "x = 2")], "x / 4 = 1 / 2");
        Assert.IsType<GoalVerdict.Valid>(await new SmtGoalOracle(Solver).DecideAsync(ProofLanguage.Coq, typed, SolverTimeout));
    }

    [RequiresToolsFact("z3")]
    public async Task A_goal_still_quantified_is_refuted_with_values_for_its_bound_variables()
    {
        // Before `intros` the variables are bound in the conclusion; a model never shows quantified variables, so the
        // oracle moves leading ∀ and premises into the context, where the counterexample can name them.
        var goal = new Goal([], "forall n m : nat, n < m -> n + 1 = m * 2");
        var verdict = Assert.IsType<GoalVerdict.Counterexample>(await Oracle.DecideAsync(ProofLanguage.Coq, goal, SolverTimeout));
        var n = int.Parse(verdict.Model["n"], CultureInfo.InvariantCulture);
        var m = int.Parse(verdict.Model["m"], CultureInfo.InvariantCulture);
        Assert.True(n >= 0 && n < m, $"the premise fails in the model n = {n}, m = {m}");
        Assert.NotEqual(n + 1, m * 2);

        // A bound name that a hypothesis also uses is a different variable; a nonnegativity guard still applies to it.
        var shadowed = new Goal([H("n", "Z"), H("H", "(n < 0)%Z")], "forall n : nat, (0 <= n)%nat");
        Assert.IsType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Coq, shadowed, SolverTimeout));
        var lean = new Goal([], "∀ x : ℝ, ∀ (_ : 0 < x), x ^ 2 > 0");
        Assert.IsType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Lean4, lean, SolverTimeout));
        var notUnderAnExists = new Goal([], "exists n : nat, forall m : nat, m <= n");
        Assert.IsNotType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Coq, notUnderAnExists, SolverTimeout));
    }

    [Fact]
    public void The_scope_of_a_coq_file_is_the_last_one_opened_before_the_statement()
    {
        const string source = "Require Import Reals ZArith.\nOpen Scope Z_scope.\nLocal Open Scope R_scope.\nTheorem t : 1 / 2 = 0.5.\nOpen Scope nat_scope.\n";

        Assert.Equal("R_scope", SmtBridgeOptions.ForCoqSource(source, source.IndexOf("Theorem", StringComparison.Ordinal)).CoqScope);
        Assert.Equal("nat_scope", SmtBridgeOptions.ForCoqSource(source).CoqScope);
        Assert.Equal("nat", SmtBridgeOptions.ForCoqSource("Theorem t : 1 = 1.").CoqScope);
    }

    [RequiresToolsFact("z3")]
    public async Task Lean_goal_is_decided()
    {
        var goal = new Goal([H("x y", "ℝ"), H("h₀", "x + y = 10"), H("h₁", "x - y = 2")], "x = 6");
        Assert.IsType<GoalVerdict.Valid>(await Oracle.DecideAsync(ProofLanguage.Lean4, goal, SolverTimeout));
        var wrong = new Goal([H("n", "ℕ"), H("h₀", "n % 4 = 3")], "n % 8 = 3");
        var verdict = Assert.IsType<GoalVerdict.Counterexample>(await Oracle.DecideAsync(ProofLanguage.Lean4, wrong, SolverTimeout));
        var n = int.Parse(verdict.Model["n"], CultureInfo.InvariantCulture);
        Assert.Equal(3, n % 4);
        Assert.NotEqual(3, n % 8);
    }

    [Fact]
    public async Task Goals_outside_the_fragment_are_untranslatable_with_a_reason()
    {
        var goal = new Goal([H("l", "list nat")], "length l = 3");
        var verdict = Assert.IsType<GoalVerdict.Untranslatable>(await Oracle.DecideAsync(ProofLanguage.Coq, goal, SolverTimeout));
        Assert.Contains("l", verdict.Reason, StringComparison.Ordinal);
        var isabelle = await Oracle.DecideAsync(ProofLanguage.Isabelle, goal, SolverTimeout);
        Assert.IsType<GoalVerdict.Untranslatable>(isabelle);
        var garbage = await Oracle.DecideAsync(ProofLanguage.Lean4, new Goal([], "x + = 1"), SolverTimeout);
        Assert.Contains("does not parse", Assert.IsType<GoalVerdict.Untranslatable>(garbage).Reason, StringComparison.Ordinal);
    }

    private static double ParseReal(string smt)
    {
        var tokens = smt.Replace("(", " ( ", StringComparison.Ordinal).Replace(")", " ) ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var index = 0;
        return Parse();

        double Parse()
        {
            var token = tokens[index++];
            if (token != "(")
            {
                return double.Parse(token, CultureInfo.InvariantCulture);
            }

            var op = tokens[index++];
            var first = Parse();
            double result = op switch
            {
                "-" when tokens[index] == ")" => -first,
                "-" => first - Parse(),
                "/" => first / Parse(),
                _ => throw new FormatException("unexpected model value " + smt),
            };
            index++;
            return result;
        }
    }
}
