using System.Text.RegularExpressions;
using ProofAgent.Syntax;

namespace ProofAgent.Provers.FStar;

/// <summary>What the gate saw: the module name, top-level <c>let</c>/<c>val</c> names, and findings.</summary>
public sealed record FStarScan(string? ModuleName, IReadOnlyList<string> Definitions, IReadOnlyList<string> Vals, IReadOnlyList<GateFinding> Findings)
{
    public IEnumerable<GateFinding> Violations => Findings.Where(f => !f.IsHole);

    public IEnumerable<GateFinding> Holes => Findings.Where(f => f.IsHole);
}

/// <summary>
/// The static half of the F* soundness gate. Comments are skipped; identifiers are matched as whole words
/// (also qualified, e.g. <c>FStar.Tactics.tadmit</c>); option strings of pragmas are searched for the flags that turn
/// checking off. The dynamic half is <c>--report_assumes error</c> on every run.
/// </summary>
public static partial class FStarSourceScan
{
    private static readonly Dictionary<string, (string Why, bool Hole)> Words = new(StringComparer.Ordinal)
    {
        ["admit"] = ("'admit' leaves a goal unproved", true),
        ["admitP"] = ("'admitP' leaves a goal unproved", true),
        ["admit_smt_queries"] = ("'admit_smt_queries' turns SMT checking off", false),
        ["tadmit"] = ("'tadmit' leaves a goal unproved", true),
        ["tadmit_t"] = ("'tadmit_t' leaves a goal unproved", true),
        ["admit_all"] = ("'admit_all' leaves goals unproved", true),
        ["admit_dump"] = ("'admit_dump' leaves a goal unproved", true),
        ["assume"] = ("'assume' postulates a fact without proof", false),
        ["magic"] = ("'magic' produces a value of any type", false),
        ["unsafe_coerce"] = ("'unsafe_coerce' casts without proof", false),
        ["expect_failure"] = ("'expect_failure' hides a failing definition", false),
        ["expect_lax_failure"] = ("'expect_lax_failure' hides a failing definition", false),
        ["lax"] = ("'lax' checking proves nothing", false),
        ["assume_safe"] = ("'assume_safe' postulates a fact", false),
    };

    private static readonly string[] Flags = ["--admit_smt_queries", "--admit_except", "--lax", "--report_assumes", "--warn_error", "--unsafe_tactic_exec", "--MLish"];

    public static FStarScan Scan(string source)
    {
        var findings = new List<GateFinding>();
        var code = Blank(source, findings);
        foreach (Match word in Word().Matches(code))
        {
            var last = word.Value[(word.Value.LastIndexOf('.') + 1)..];
            if (Words.TryGetValue(last, out var entry))
            {
                var (line, column) = LineColumn(source, word.Index + word.Value.Length - last.Length);
                findings.Add(new GateFinding(line, column, entry.Why, entry.Hole));
            }
        }

        foreach (var flag in Flags)
        {
            for (var at = source.IndexOf(flag, StringComparison.Ordinal); at >= 0; at = source.IndexOf(flag, at + 1, StringComparison.Ordinal))
            {
                var end = at + flag.Length;
                if (end < source.Length && (char.IsAsciiLetterOrDigit(source[end]) || source[end] == '_'))
                {
                    continue;
                }

                var (line, column) = LineColumn(source, at);
                findings.Add(new GateFinding(line, column, $"option '{flag}' weakens checking", false));
            }
        }

        var moduleMatch = ModuleHeader().Match(code);
        var definitions = Definition().Matches(code).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();
        var vals = Val().Matches(code).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();
        findings.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return new FStarScan(moduleMatch.Success ? moduleMatch.Groups["name"].Value : null, definitions, vals, findings);
    }

    /// <summary>The source with comments replaced by spaces (line structure kept); string contents are kept.</summary>
    private static string Blank(string s, List<GateFinding> findings)
    {
        var chars = s.ToCharArray();
        var i = 0;
        while (i < chars.Length)
        {
            if (chars[i] == '"')
            {
                i++;
                while (i < chars.Length && chars[i] != '"')
                {
                    i += chars[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (chars[i] == '/' && i + 1 < chars.Length && chars[i + 1] == '/')
            {
                while (i < chars.Length && chars[i] != '\n')
                {
                    chars[i++] = ' ';
                }
            }
            else if (chars[i] == '(' && i + 1 < chars.Length && chars[i + 1] == '*' && !(i + 2 < chars.Length && chars[i + 2] == ')'))
            {
                var start = i;
                var depth = 0;
                while (i < chars.Length)
                {
                    if (chars[i] == '(' && i + 1 < chars.Length && chars[i + 1] == '*')
                    {
                        depth++;
                        chars[i] = chars[i + 1] = ' ';
                        i += 2;
                    }
                    else if (chars[i] == '*' && i + 1 < chars.Length && chars[i + 1] == ')')
                    {
                        depth--;
                        chars[i] = chars[i + 1] = ' ';
                        i += 2;
                        if (depth == 0)
                        {
                            break;
                        }
                    }
                    else
                    {
                        if (chars[i] != '\n')
                        {
                            chars[i] = ' ';
                        }

                        i++;
                    }
                }

                if (depth > 0)
                {
                    var (line, column) = LineColumn(s, start);
                    findings.Add(new GateFinding(line, column, "unterminated comment", false));
                }
            }
            else
            {
                i++;
            }
        }

        return new string(chars);
    }

    internal static (int Line, int Column) LineColumn(string text, int index) => SourcePosition.Of(text, index);

    [GeneratedRegex(@"(?<![A-Za-z0-9_'.])[A-Za-z_][A-Za-z0-9_']*(?:\.[A-Za-z_][A-Za-z0-9_']*)*")]
    private static partial Regex Word();

    [GeneratedRegex(@"^\s*module\s+(?<name>[A-Z][A-Za-z0-9_.]*)", RegexOptions.Multiline)]
    private static partial Regex ModuleHeader();

    [GeneratedRegex(@"^\s*(?:(?:private|inline_for_extraction|noextract|unfold|irreducible|\[@@[^\]]*\])\s+)*let\s+(?:rec\s+)?(?<name>[a-z_][A-Za-z0-9_']*)", RegexOptions.Multiline)]
    private static partial Regex Definition();

    [GeneratedRegex(@"^\s*(?:(?:private|inline_for_extraction|noextract|unfold|irreducible)\s+)*val\s+(?<name>[a-z_][A-Za-z0-9_']*)", RegexOptions.Multiline)]
    private static partial Regex Val();
}
