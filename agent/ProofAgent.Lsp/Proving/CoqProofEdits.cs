using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Outline;
using ProofAgent.Provers.Coq;

namespace ProofAgent.Lsp.Proving;

/// <summary>
/// How a Coq proof goes into the user's file, and what part of the file a proof search is given. The edit is the one the
/// agent's own file assembly makes (the automation imports first, <c>Proof. … Qed.</c> in place of the hole), expressed as
/// edits of the document rather than a new file, so the editor keeps everything else (and the cursor) where it was.
/// </summary>
internal static partial class CoqProofEdits
{
    /// <summary>
    /// The edits that put <paramref name="script"/> in place of <paramref name="theorem"/>'s hole, with <paramref name="imports"/>
    /// (the sentence the search's session started with) inserted at the top unless the file already has that exact line.
    /// </summary>
    public static IReadOnlyList<TextReplacement> ForScript(string source, TheoremSpan theorem, string script, string imports)
    {
        var edits = new List<TextReplacement>();
        var lines = source.Split('\n').Select(l => l.Trim());
        if (imports.Length > 0 && !lines.Contains(imports.Trim(), StringComparer.Ordinal))
        {
            edits.Add(new TextReplacement(0, 0, imports.Trim() + "\n"));
        }

        edits.Add(new TextReplacement(theorem.ProofStart, theorem.ProofEnd, "\nProof.\n" + Indent(script.Trim()) + "\nQed."));
        return edits;
    }

    /// <summary>
    /// The text a search for <paramref name="theorem"/> is given: the file up to the end of the theorem's hole, where every
    /// earlier theorem that is a hole is restated as a <c>Definition</c> with the same statement and the same
    /// <c>Admitted</c>. To Coq that is the same environment (a constant of the same type, without a proof); to the agent,
    /// which proves every theorem with a hole in the text it is given, the earlier ones are context, not work, so the whole
    /// budget goes to the theorem the user asked for. Nothing from this text is ever accepted: the user's real file is
    /// checked after the edit.
    /// </summary>
    public static string SearchContext(string source, SourceOutline outline, TheoremSpan theorem)
    {
        var builder = new StringBuilder();
        var last = 0;
        foreach (var earlier in outline.Theorems.Where(t => t.HasHole && t.ProofEnd <= theorem.Start).OrderBy(t => t.Start))
        {
            var masked = ProofAgent.Syntax.CoqLexer.Mask(source[earlier.Start..earlier.NameStart]);
            var keyword = Keyword().Matches(masked).LastOrDefault();
            if (keyword is null)
            {
                continue;
            }

            var at = earlier.Start + keyword.Index;
            builder.Append(source, last, at - last).Append("Definition");
            last = at + keyword.Length;
        }

        builder.Append(source, last, theorem.ProofEnd - last);
        return builder.ToString();
    }

    private static string Indent(string script) =>
        string.Join("\n", script.Split('\n').Select(line => line.Length == 0 ? line : "  " + line.TrimEnd()));

    [GeneratedRegex(@"\b(Theorem|Lemma|Fact|Remark|Corollary|Proposition|Property|Example)\b")]
    private static partial Regex Keyword();
}

/// <summary>Edits between two versions of a text: the changed middle between their common prefix and suffix.</summary>
internal static class TextDiff
{
    public static IReadOnlyList<TextReplacement> Replacements(string before, string after)
    {
        var prefix = 0;
        var max = Math.Min(before.Length, after.Length);
        while (prefix < max && before[prefix] == after[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < max - prefix && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix])
        {
            suffix++;
        }

        // Never cut a surrogate pair in two.
        if (prefix > 0 && char.IsHighSurrogate(before[prefix - 1]))
        {
            prefix--;
        }

        if (suffix > 0 && before.Length - suffix < before.Length && char.IsLowSurrogate(before[before.Length - suffix]))
        {
            suffix--;
        }

        return before == after ? [] : [new TextReplacement(prefix, before.Length - suffix, after[prefix..(after.Length - suffix)])];
    }

    /// <summary>Applies non-overlapping replacements (any order) to a text.</summary>
    public static string Apply(string text, IReadOnlyList<TextReplacement> edits)
    {
        var builder = new StringBuilder();
        var last = 0;
        foreach (var edit in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            if (edit.Start < last || edit.End < edit.Start || edit.End > text.Length)
            {
                throw new ArgumentException($"overlapping or out-of-range edit [{edit.Start}, {edit.End}) of a {text.Length}-character text");
            }

            builder.Append(text, last, edit.Start - last).Append(edit.NewText);
            last = edit.End;
        }

        builder.Append(text, last, text.Length - last);
        return builder.ToString();
    }
}
