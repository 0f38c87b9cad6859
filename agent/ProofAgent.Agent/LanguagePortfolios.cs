using System.Text.RegularExpressions;

namespace ProofAgent.Agent;

/// <summary>
/// Whole-proof automation for languages checked file by file (Lean 4, Isabelle): each portfolio tactic replaces every
/// hole and the file is checked. Coq uses the interactive search instead (<see cref="Coq.CoqTactics"/>).
/// </summary>
public static partial class LanguagePortfolios
{
    public static IReadOnlyList<string> Tactics(ProofLanguage language) => language switch
    {
        ProofLanguage.Lean4 =>
        [
            "by norm_num", "by linarith", "by nlinarith [sq_nonneg (a - b), sq_nonneg (a + b)]", "by positivity", "by omega", "by decide",
            "by simp", "by field_simp; ring", "by ring_nf", "by aesop", "by norm_num [Nat.pow_succ] <;> omega", "by polyrith",
        ],
        ProofLanguage.Isabelle =>
        [
            "by auto", "by simp", "by arith", "by presburger", "by (simp add: field_simps)", "by (auto simp: algebra_simps)", "by fastforce",
            "by eval", "by linarith", "by (simp add: power2_eq_square)",
        ],
        _ => [],
    };

    /// <summary>True when the source has a hole this module can fill.</summary>
    public static bool HasHole(ProofLanguage language, string source) => Hole(language) is { } regex && regex.IsMatch(source);

    /// <summary>Replaces every hole by <paramref name="proof"/> (for Lean, a <c>by</c> block replaces <c>by sorry</c> or <c>sorry</c>).</summary>
    public static string Fill(ProofLanguage language, string source, string proof)
    {
        var regex = Hole(language) ?? throw new NotSupportedException($"no hole syntax for {language.Id()}");
        return regex.Replace(source, match => (match.Groups[1].Success ? match.Groups[1].Value : string.Empty) + proof);
    }

    private static Regex? Hole(ProofLanguage language) => language switch
    {
        ProofLanguage.Lean4 => LeanHole(),
        ProofLanguage.Isabelle => IsabelleHole(),
        _ => null,
    };

    [GeneratedRegex(@"(:=\s*)?\bby\s+sorry\b|\bsorry\b")]
    private static partial Regex LeanHole();

    [GeneratedRegex(@"\b(?:sorry|oops)\b")]
    private static partial Regex IsabelleHole();
}
