using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Lean;

/// <summary>Lean's textual formats: sorry warnings, goals, <c>#print axioms</c> answers, and REPL requests.</summary>
public static partial class LeanText
{
    /// <summary>Both wordings: <c>declaration uses 'sorry'</c> (up to v4.27) and <c>declaration uses `sorry`</c> (v4.28+).</summary>
    public static bool IsSorryWarning(string message) =>
        message.StartsWith("declaration uses 'sorry'", StringComparison.Ordinal) ||
        message.StartsWith("declaration uses `sorry`", StringComparison.Ordinal);

    /// <summary>
    /// Parses a goal as Lean prints it (<c>case tag</c>, hypotheses <c>x y : T</c> / <c>x : T := v</c>, then <c>⊢ target</c>).
    /// Continuation lines (indented) belong to the entry above. A text holding several goals separated by blank lines gives several.
    /// </summary>
    public static IReadOnlyList<Goal> ParseGoals(string text)
    {
        var goals = new List<Goal>();
        foreach (var block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (block.Trim().Length > 0)
            {
                goals.Add(ParseGoal(block));
            }
        }

        return goals;
    }

    /// <summary>Parses one goal (see <see cref="ParseGoals"/>).</summary>
    public static Goal ParseGoal(string text)
    {
        string? caseTag = null;
        var entries = new List<StringBuilder>();
        StringBuilder? target = null;
        foreach (var rawLine in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (target is not null)
            {
                target.Append('\n').Append(rawLine);
                continue;
            }

            if (rawLine.StartsWith("⊢", StringComparison.Ordinal))
            {
                target = new StringBuilder(rawLine[1..].TrimStart());
            }
            else if (entries.Count == 0 && caseTag is null && rawLine.StartsWith("case ", StringComparison.Ordinal))
            {
                caseTag = rawLine[5..].Trim();
            }
            else if (rawLine.Length > 0 && char.IsWhiteSpace(rawLine[0]) && entries.Count > 0)
            {
                entries[^1].Append('\n').Append(rawLine);
            }
            else if (rawLine.Length > 0)
            {
                entries.Add(new StringBuilder(rawLine));
            }
        }

        var hypotheses = entries.Select(e => ParseHypothesis(e.ToString())).ToList();
        return new Goal(hypotheses, target?.ToString().Trim() ?? string.Empty, caseTag);
    }

    private static Hypothesis ParseHypothesis(string entry)
    {
        var colon = TopLevelIndex(entry, " : ");
        if (colon < 0)
        {
            return new Hypothesis([], entry.Trim());
        }

        var names = entry[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var rest = entry[(colon + 3)..];
        var assign = TopLevelIndex(rest, " := ");
        return assign < 0
            ? new Hypothesis(names, rest.Trim())
            : new Hypothesis(names, rest[..assign].Trim(), rest[(assign + 4)..].Trim());
    }

    private static int TopLevelIndex(string text, string separator)
    {
        var depth = 0;
        for (var i = 0; i + separator.Length <= text.Length; i++)
        {
            var c = text[i];
            if (c is '(' or '[' or '{' or '⟨')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}' or '⟩')
            {
                depth--;
            }
            else if (depth == 0 && string.CompareOrdinal(text, i, separator, 0, separator.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The answer of <c>#print axioms X</c>: the constant's name and its axioms (sorted), or null when the text is something else.</summary>
    public static (string Constant, IReadOnlyList<string> Axioms)? ParsePrintAxioms(string message)
    {
        var match = PrintAxioms().Match(message.Trim());
        if (!match.Success)
        {
            return null;
        }

        var list = match.Groups["list"].Success
            ? match.Groups["list"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return (match.Groups["name"].Value, [.. list.Order(StringComparer.Ordinal)]);
    }

    /// <summary>A REPL command request, one JSON object followed by the blank line that ends it.</summary>
    public static string CommandRequest(string source, int? env = null, bool allTactics = false) =>
        Json(writer =>
        {
            writer.WriteString("cmd", source);
            if (env is { } id)
            {
                writer.WriteNumber("env", id);
            }

            if (allTactics)
            {
                writer.WriteBoolean("allTactics", true);
            }
        });

    /// <summary>A tactic-mode request on a proof state.</summary>
    public static string TacticRequest(string tactic, int proofState) =>
        Json(writer =>
        {
            writer.WriteString("tactic", tactic);
            writer.WriteNumber("proofState", proofState);
        });

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        // Strings are escaped (a newline is \n), so the request holds no blank line before its terminator.
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n\n";
    }

    /// <summary>The normalized import header used as the pool key: trimmed non-empty lines, comments kept out.</summary>
    public static string NormalizeHeader(string header) =>
        string.Join('\n', header.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => (l.Contains("--", StringComparison.Ordinal) ? l[..l.IndexOf("--", StringComparison.Ordinal)] : l).Trim())
            .Where(l => l.Length > 0));

    /// <summary>Number of lines of a text (a final newline starts no new line of content).</summary>
    public static int LineCount(string text) => text.Length == 0 ? 0 : text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^['`«]?(?<name>[^'`»\s]+)['`»]?\s+(?:depends on axioms:\s*\[(?<list>[^\]]*)\]|does not depend on any axioms)", RegexOptions.Singleline)]
    private static partial Regex PrintAxioms();
}
