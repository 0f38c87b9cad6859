using ProofAgent.Grammars;
using ProofAgent.Provers;
using Xunit;
using static ProofAgent.SmtBridge.Tests.Z3;

namespace ProofAgent.SmtBridge.Tests;

/// <summary>
/// Each language has its own table of library names: a name is read with the meaning it has in the statement's
/// language, and a name of another language is untranslatable (with the name as the reason) rather than guessed.
/// </summary>
public sealed class LanguageTableTests
{
    [Theory]
    [InlineData(ProofLanguage.Lean4, "theorem t (x : ℝ) : Rabs x ≥ 0 := by", "Rabs")]
    [InlineData(ProofLanguage.Lean4, "theorem t (n : ℕ) : INR n ≥ 0 := by", "INR")]
    [InlineData(ProofLanguage.Coq, "Theorem t : forall x : R, Real.sqrt x >= 0.", "Real.sqrt")]
    [InlineData(ProofLanguage.Coq, "Theorem t : forall n : nat, Nat.factorial n >= 1.", "Nat.factorial")]
    [InlineData(ProofLanguage.Isabelle, "theorem t: fixes n :: nat shows \"gcd n n = n\"", "Isabelle function gcd is not translated")]
    public void Should_not_read_a_name_outside_its_language(ProofLanguage language, string statement, string reason)
    {
        var translation = SmtTranslator.Translate(StatementParser.Parse(language, statement), SmtBridgeOptions.Default.WithCoqScope("R"));
        var not = Assert.IsType<SmtTranslation.NotTranslated>(translation);
        Assert.Equal(reason, not.Reason);
    }

    [Theory]
    [InlineData(ProofLanguage.Lean4, "theorem t (x : ℝ) (h : x = -9) : Real.sqrt x = 0 := by")]
    [InlineData(ProofLanguage.Coq, "Theorem t : forall x : R, x = -9 -> sqrt x = 0.")]
    public void Should_read_a_square_root_with_its_language_meaning(ProofLanguage language, string statement)
    {
        var translation = Translate(language, statement, SmtBridgeOptions.Default.WithCoqScope("R"));
        Assert.True(translation.IsExact);
        Assert.Contains("sqrt", translation.Declarations + translation.Formula, StringComparison.Ordinal);
    }

    [RequiresToolsFact("z3", Timeout = 120_000)]
    public async Task Should_read_Coquelicot_floor_as_the_integer_floor()
    {
        var scope = SmtBridgeOptions.Default.WithCoqScope("R");
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : floor ((9 / 160) * 100) = 5%Z.", scope);
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall x : R, x = -1 / 2 -> floor x = (-1)%Z.", scope);
    }

    [RequiresToolsFact("z3", Timeout = 120_000)]
    public async Task Should_keep_the_Isabelle_sqrt_odd_and_the_Lean_sqrt_zero_below_zero()
    {
        await AssertValidAsync(ProofLanguage.Isabelle, "theorem t: fixes x :: real assumes \"x = -4\" shows \"sqrt x = -2\"");
        await AssertValidAsync(ProofLanguage.Lean4, "theorem t (x : ℝ) (h : x = -4) : Real.sqrt x = 0 := by");
    }
}
