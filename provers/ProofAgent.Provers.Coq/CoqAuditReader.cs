using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Coq;

/// <summary>What <c>Print Assumptions</c> says a theorem rests on.</summary>
public sealed record CoqAssumptions(IReadOnlyList<CoqAxiom> Axioms, IReadOnlyList<string> UnsafeFlags)
{
    public static CoqAssumptions None { get; } = new([], []);
}

/// <summary>An axiom as printed: its (shortest unambiguous) name and its type.</summary>
public sealed record CoqAxiom(string PrintedName, string Type);

/// <summary>
/// Readers for the audit's output (<c>Print Assumptions</c>, <c>Locate</c>, <c>Check</c>,
/// <c>Print</c>). They fail closed: output of an unexpected shape (empty, truncated, unknown sections) is reported, never
/// read as "nothing to report", because a candidate's global options reach the audit and could change what is printed.
/// </summary>
public static partial class CoqAuditReader
{
    private const string Closed = "Closed under the global context";

    /// <summary>
    /// The type from <c>Check name</c> output (<c>name</c>, then <c>: type</c> on indented lines), on one line with runs
    /// of white space folded; null when the output does not have that shape.
    /// </summary>
    public static string? ParseCheck(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = output.Replace("\r", string.Empty, StringComparison.Ordinal).Trim();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return null;
        }

        var type = text[(newline + 1)..].TrimStart();
        if (!type.StartsWith(':'))
        {
            return null;
        }

        var folded = string.Join(' ', type[1..].Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return folded.Length == 0 ? null : folded;
    }

    /// <summary>
    /// Parses <c>Print Assumptions</c> output: <c>Closed under the global context</c>, or an <c>Axioms:</c> section whose
    /// entries start at column 0 (<c>name : type</c>, types continued on indented lines), and lines such as
    /// <c>f is assumed to be guarded.</c>, which are unsafe flags. Anything else, an empty output included, is an unsafe flag
    /// that names what was not understood.
    /// </summary>
    public static CoqAssumptions ParsePrintAssumptions(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = output.Replace("\r", string.Empty, StringComparison.Ordinal).Trim();
        if (text == Closed)
        {
            return CoqAssumptions.None;
        }

        if (text.Length == 0)
        {
            return new CoqAssumptions([], ["Print Assumptions printed nothing"]);
        }

        var axioms = new List<CoqAxiom>();
        var flags = new List<string>();
        var section = (string?)null;
        foreach (var entry in Entries(text))
        {
            var oneLine = string.Join(' ', entry.Split('\n').Select(l => l.Trim()));
            if (oneLine.EndsWith(':') && !oneLine.Contains(' ', StringComparison.Ordinal) || oneLine is "Section Variables:")
            {
                section = oneLine;
                if (oneLine is not "Axioms:")
                {
                    flags.Add($"unexpected section '{oneLine}'");
                }

                continue;
            }

            if (oneLine.Contains(" is assumed to be ", StringComparison.Ordinal) || oneLine.Contains(" relies on ", StringComparison.Ordinal) ||
                oneLine.Contains("type-in-type", StringComparison.OrdinalIgnoreCase))
            {
                flags.Add(oneLine);
                continue;
            }

            var colon = oneLine.IndexOf(" : ", StringComparison.Ordinal);
            if (section is "Axioms:" && colon > 0)
            {
                axioms.Add(new CoqAxiom(oneLine[..colon].Trim(), oneLine[(colon + 3)..].Trim()));
            }
            else
            {
                flags.Add($"unrecognised assumption '{Shorten(oneLine)}'");
            }
        }

        return new CoqAssumptions(axioms, flags);
    }

    /// <summary>
    /// Every qualified name (<c>A.b</c>, <c>A.B.c'</c>) in printed text, in order of first appearance: the references a term
    /// printed with <c>Printing All</c> makes to constants that are not imported. A name that is not a real reference
    /// comes to no harm: printing it fails, and what cannot be printed is not trusted.
    /// </summary>
    public static IReadOnlyList<string> QualifiedNames(string printed)
    {
        ArgumentNullException.ThrowIfNull(printed);
        // A name never ends with a dot; the period that ends a printed declaration (an inductive's last constructor) does.
        return [.. QualifiedName().Matches(printed).Select(m => m.Value.TrimEnd('.')).Where(n => n.Contains('.', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// True when <c>Print</c> output (printed with <c>Printing All</c> and no depth limit) shows a <c>fix</c> or
    /// <c>cofix</c>; an elided term (<c>...</c>) counts as one, since what it hides cannot be known.
    /// </summary>
    public static bool ShowsRecursion(string printed)
    {
        ArgumentNullException.ThrowIfNull(printed);
        return RecursionKeyword().IsMatch(printed) || printed.Contains("...", StringComparison.Ordinal);
    }

    /// <summary>
    /// Parses <c>Locate</c> output into (printed short name → fully qualified name) for constants:
    /// <c>Constant Coq.Logic.Classical_Prop.classic</c>, optionally followed (on the same line or the next, depending on the
    /// printing width) by <c>(shorter name to refer to it in current context is Classical_Prop.classic)</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseLocate(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folded = string.Join(' ', output.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        var pairs = LocatedConstant().Matches(folded)
            .Select(m => (Short: m.Groups["short"].Success ? m.Groups["short"].Value : m.Groups["full"].Value, Full: m.Groups["full"].Value))
            .ToList();

        // A printed name is a reference in the audit's context, so it denotes one object. If two objects claim the
        // same printed name, trust neither.
        return pairs
            .GroupBy(p => p.Short, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Full).Distinct(StringComparer.Ordinal).Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Full, StringComparer.Ordinal);
    }

    /// <summary>Entries start at column 0; indented lines continue the previous entry.</summary>
    private static List<string> Entries(string text)
    {
        var entries = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]) && entries.Count > 0)
            {
                entries[^1] += "\n" + line;
            }
            else
            {
                entries.Add(line);
            }
        }

        return entries;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [GeneratedRegex(@"(?:^| )Constant (?<full>[^\s()]+)(?: \(shorter name to refer to it in current context is (?<short>[^\s()]+)\))?")]
    private static partial Regex LocatedConstant();

    [GeneratedRegex(@"(?<![\w'.])(?:co)?fix(?![\w'])")]
    private static partial Regex RecursionKeyword();

    // A qualified name is read as a whole run of characters between Coq's delimiters (white space, brackets, ',', ';',
    // ':', '@', '|', '=', '<', '>', '"'), never by what an identifier may contain: a name with a character this reader
    // did not foresee (a combining mark, a symbol Coq's lexer admits) must stay one token, so that it cannot be read
    // as a shorter name of another constant. A run is a name when it holds a dot.
    [GeneratedRegex(@"[^\s()\[\]{},;:@|=<>""]*\.[^\s()\[\]{},;:@|=<>""]+")]
    private static partial Regex QualifiedName();
}
