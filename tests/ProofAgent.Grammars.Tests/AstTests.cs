using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Grammars.Tests;

/// <summary>The AST follows each language's precedence and binder rules.</summary>
public sealed class AstTests
{
    private static Term Lean(string text) => StatementParser.ParseTerm(ProofLanguage.Lean4, text);

    private static Term Coq(string text) => StatementParser.ParseTerm(ProofLanguage.Coq, text);

    private static Term Isabelle(string text) => StatementParser.ParseTerm(ProofLanguage.Isabelle, text);

    [Fact]
    public void Lean_unary_minus_binds_looser_than_power_and_tighter_than_product()
    {
        var power = Assert.IsType<Unary>(Lean("-x ^ 2"));
        Assert.Equal(UnaryOperator.Neg, power.Operator);
        Assert.Equal(BinaryOperator.Pow, Assert.IsType<Binary>(power.Operand).Operator);

        var product = Assert.IsType<Binary>(Lean("-a * b"));
        Assert.Equal(BinaryOperator.Mul, product.Operator);
        Assert.IsType<Unary>(product.Left);
    }

    [Fact]
    public void Lean_power_is_right_associative()
    {
        var power = Assert.IsType<Binary>(Lean("z ^ k ^ 2"));
        Assert.Equal("z", Assert.IsType<Identifier>(power.Left).Name);
        Assert.Equal(BinaryOperator.Pow, Assert.IsType<Binary>(power.Right).Operator);
    }

    [Fact]
    public void Lean_big_operator_body_stops_before_addition_and_relations()
    {
        // Mathlib: ∑ x ∈ s, f x is parsed at precedence 67, so "+ 1" and "= ..." are outside the sum.
        var equation = Assert.IsType<Binary>(Lean("∑ k in Finset.range n, (2 * k + 3) = (n + 1) ^ 2 - 1"));
        Assert.Equal(BinaryOperator.Eq, equation.Operator);
        var sum = Assert.IsType<BigOperator>(equation.Left);
        Assert.Equal(BigOperatorKind.Sum, sum.Kind);
        Assert.Equal("k", sum.Variable.Name);
        Assert.Equal(BinaryOperator.Add, Assert.IsType<Binary>(sum.Body).Operator);
        var plus = Assert.IsType<Binary>(Lean("∑ k in Finset.range n, k * 2 + 1"));
        Assert.Equal(BinaryOperator.Add, plus.Operator);
        Assert.IsType<BigOperator>(plus.Left);
    }

    [Fact]
    public void Lean_not_covers_a_relation_but_not_a_conjunction()
    {
        var and = Assert.IsType<Binary>(Lean("¬7 ∣ a ∧ b = c"));
        Assert.Equal(BinaryOperator.And, and.Operator);
        var not = Assert.IsType<Unary>(and.Left);
        Assert.Equal(BinaryOperator.Dvd, Assert.IsType<Binary>(not.Operand).Operator);
    }

    [Fact]
    public void Lean_binders_extend_to_the_right_and_arrows_associate_to_the_right()
    {
        var forall = Assert.IsType<BinderTerm>(Lean("∀ x > 0, ∀ y > 0, f (x * y) = f x / y → y = x"));
        Assert.Equal(BinderKind.Forall, forall.Kind);
        Assert.Equal(BinaryOperator.Gt, forall.Variables[0].RestrictionOperator);
        var inner = Assert.IsType<BinderTerm>(forall.Body);
        Assert.Equal(BinaryOperator.Arrow, Assert.IsType<Binary>(inner.Body).Operator);
        var arrow = Assert.IsType<Binary>(Lean("a → b → c"));
        Assert.Equal(BinaryOperator.Arrow, Assert.IsType<Binary>(arrow.Right).Operator);
    }

    [Fact]
    public void Lean_casts_factorials_ascriptions_and_congruences_have_their_own_nodes()
    {
        var sum = Assert.IsType<Binary>(Lean("↑3! * (n : ℝ)"));
        var coerce = Assert.IsType<Unary>(sum.Left);
        Assert.Equal(UnaryOperator.Coerce, coerce.Operator);
        Assert.Equal(UnaryOperator.Factorial, Assert.IsType<Unary>(coerce.Operand).Operator);
        Assert.Equal("ℝ", Assert.IsType<Identifier>(Assert.IsType<TypeAscription>(sum.Right).Type).Name);
        var congruence = Assert.IsType<Congruence>(Lean("30 * x ≡ 42 [MOD 47]"));
        Assert.Equal("MOD", congruence.Kind);
        Assert.IsType<SetBuilder>(Assert.IsType<Application>(Lean("IsLeast { x : ℕ | 30 * x ≡ 42 [MOD 47] } 39")).Arguments[0]);
    }

    [Fact]
    public void Lean_statement_binders_and_positions_are_kept()
    {
        var statement = StatementParser.Parse(ProofLanguage.Lean4, "theorem t (x y : ℝ) (h₀ : 0 < x)\n  (h₁ : y = 2) : x + y > 2 := by\n");
        Assert.Equal("t", statement.Name);
        Assert.Equal(["x", "y"], statement.Binders[0].Names);
        Assert.Equal(new SourceSpan(1, 11, 1, 19), statement.Binders[0].Span);
        Assert.Equal(2, statement.Binders[2].Span.Line);
        Assert.Equal(new SourceSpan(2, 18, 2, 26), statement.Conclusion.Span);
    }

    [Fact]
    public void Coq_chained_comparisons_are_conjunctions_and_scopes_are_kept()
    {
        var chain = Assert.IsType<Binary>(Assert.IsType<Scoped>(Coq("(4 <= p <= 18)%Z")).Value);
        Assert.Equal(BinaryOperator.And, chain.Operator);
        var scoped = Assert.IsType<Scoped>(Coq("(n + 1)%nat"));
        Assert.Equal("nat", scoped.Scope);
        var inverse = Assert.IsType<Binary>(Coq("x + / y"));
        Assert.Equal(UnaryOperator.Inverse, Assert.IsType<Unary>(inverse.Right).Operator);
        var forall = Assert.IsType<BinderTerm>(Coq("forall (x y : R) (f : R -> R), 0 < x -> f x = y"));
        Assert.Equal(3, forall.Variables.Count);
        Assert.Equal(BinaryOperator.Arrow, Assert.IsType<Binary>(forall.Body).Operator);
    }

    [Fact]
    public void Coq_statement_is_found_in_a_file_with_comments_and_keeps_file_positions()
    {
        const string file = "(* a comment with Theorem inside *)\nRequire Import Reals.\nOpen Scope R_scope.\n\nTheorem t :\n  forall x : R, 0 < x -> 0 < x * x.\nProof.\nAdmitted.\n";
        var text = CoqSource.ExtractStatement(file)!;
        var statement = StatementParser.Parse(ProofLanguage.Coq, text);
        Assert.Equal("t", statement.Name);
        Assert.Equal(6, statement.Conclusion.Span.Line);
    }

    [Fact]
    public void Isabelle_statement_has_fixes_assumptions_and_conclusion()
    {
        var statement = StatementParser.Parse(ProofLanguage.Isabelle, "theorem t:\n  fixes x y :: real and f :: \"nat \\<Rightarrow> real\"\n  assumes h0 : \"0 < x\" and \"y = - 1 / 9\"\n  shows \"x \\<noteq> y\"");
        Assert.Equal(2, statement.Binders.Count);
        Assert.Equal(BinaryOperator.Arrow, Assert.IsType<Binary>(statement.Binders[1].Type).Operator);
        Assert.Equal("h0", statement.Assumptions[0].Label);
        var division = Assert.IsType<Binary>(Assert.IsType<Binary>(statement.Assumptions[1].Proposition).Right);
        Assert.Equal(BinaryOperator.Div, division.Operator);
        Assert.IsType<Unary>(division.Left);
        Assert.Equal(BinaryOperator.Ne, Assert.IsType<Binary>(statement.Conclusion).Operator);
    }

    [Fact]
    public void Isabelle_sums_over_ranges_and_binders()
    {
        var sum = Assert.IsType<Binary>(Isabelle("(\\<Sum> k \\<in>{19::nat..<92}. floor (r + k / 100)) = 546"));
        var big = Assert.IsType<BigOperator>(sum.Left);
        var range = Assert.IsType<IntervalSet>(big.Domain);
        Assert.Equal(RangeKind.HalfOpenRight, range.Kind);
        var forall = Assert.IsType<BinderTerm>(Isabelle("\\<forall> n \\<ge> 3. t n = t (n - 1) \\<and> 0 < n"));
        Assert.Equal(BinaryOperator.And, Assert.IsType<Binary>(forall.Body).Operator);
    }
}
