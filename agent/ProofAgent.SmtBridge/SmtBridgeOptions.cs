using System.Text.RegularExpressions;

namespace ProofAgent.SmtBridge;

/// <summary>Options of the goal-to-SMT bridge.</summary>
public sealed partial record SmtBridgeOptions
{
    public static SmtBridgeOptions Default { get; } = new();

    /// <summary>
    /// The scope of a goal printed by Coq: unknown, since the printer omits the scope a file opened. Numerals that only
    /// the scope would type make such a goal untranslatable rather than wrongly typed (<c>9951 / 4779</c> is 2 in
    /// <c>nat</c> but a fraction in <c>R</c>).
    /// </summary>
    public const string UnknownScope = "?";

    /// <summary>Coq's open scope for numerals that nothing else types (<c>R</c>, <c>Z</c>, <c>nat</c>); Coq's own default is <c>nat</c>.</summary>
    public string CoqScope { get; init; } = "nat";

    public SmtBridgeOptions WithCoqScope(string scope) => this with { CoqScope = scope };

    /// <summary>The options for a Coq file: the scope its last <c>Open Scope</c> before <paramref name="end"/> opened (else <c>nat</c>).</summary>
    public static SmtBridgeOptions ForCoqSource(string source, int? end = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = end is { } e && e >= 0 && e < source.Length ? source[..e] : source;
        var scope = "nat";
        foreach (Match match in OpenScope().Matches(text))
        {
            scope = match.Groups[1].Value;
        }

        return Default.WithCoqScope(scope);
    }

    [GeneratedRegex(@"(?m)^\s*(?:#\[\s*\w+\s*\]\s*)?(?:Local\s+|Global\s+)?Open\s+Scope\s+([A-Za-z_]+)\s*\.")]
    private static partial Regex OpenScope();
}
