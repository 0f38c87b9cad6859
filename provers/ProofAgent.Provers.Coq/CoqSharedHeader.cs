using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Syntax;

namespace ProofAgent.Provers.Coq;

/// <summary>
/// The statement file's header (everything before its first theorem) compiled once as its own library, which the
/// candidate and the statement both import, when the header declares something whose identity matters (an inductive
/// type, a record, a class, an instance, an opaque constant). Without it each side would define its own copy
/// (<c>Expected.Statement.color</c> is not <c>Job.Candidate.color</c>) and no proof could match.
/// </summary>
/// <param name="Header">The header library's source.</param>
/// <param name="Candidate">The candidate with its copy of the header replaced by an import (lines and columns of the rest kept).</param>
/// <param name="Statement">The statement file with its header replaced the same way.</param>
public sealed partial record CoqSharedHeader(string Header, string Candidate, string Statement)
{
    /// <summary>The logical root the header library is compiled under.</summary>
    public const string Root = "Shared";

    /// <summary>The file name of the header library (<c>Shared.ProofAgentHeader</c>).</summary>
    public const string FileName = "ProofAgentHeader.v";

    /// <summary>The header library's logical name.</summary>
    public const string Library = Root + ".ProofAgentHeader";

    private static readonly string[] IdentityHeads =
        ["Inductive", "CoInductive", "Variant", "Record", "Structure", "Class", "Instance", "Existing", "Canonical", "Coercion", "Opaque", "Qed."];

    private static readonly string[] ReplayedHeads = ["Open", "Import", "Export", "Set", "Unset", "Arguments"];

    /// <summary>
    /// Splits off the shared header when the candidate starts with exactly the statement's header (sentence by sentence,
    /// comments aside), the header closes every section and module it opens, and it declares something whose identity
    /// matters; null otherwise (each side then compiles the header text itself, as before).
    /// </summary>
    public static CoqSharedHeader? TrySplit(string candidate, CoqScan candidateScan, string statement, CoqScan statementScan)
    {
        ArgumentNullException.ThrowIfNull(candidateScan);
        ArgumentNullException.ThrowIfNull(statementScan);
        if (statementScan.Theorems.Count == 0)
        {
            return null;
        }

        var length = statementScan.Theorems.Min(t => t.SentenceIndex);
        var prefix = statementScan.Sentences.Take(length).ToList();
        if (length == 0 || candidateScan.Sentences.Count < length || !prefix.Select(s => s.Code).SequenceEqual(candidateScan.Sentences.Take(length).Select(s => s.Code), StringComparer.Ordinal))
        {
            return null;
        }

        var heads = prefix.Select(s => CoqSourceScan.StripPrefixes(s.Code).Split(' ')[0]).ToList();
        if (!heads.Any(h => Array.IndexOf(IdentityHeads, h) >= 0) || !Balanced(prefix.Select(s => CoqSourceScan.StripPrefixes(s.Code)).ToList()))
        {
            return null;
        }

        var header = new StringBuilder();
        var replay = new List<string>();
        foreach (var (sentence, head) in prefix.Zip(heads))
        {
            // Imports become exports, so that importing the header imports what the header imported.
            var import = ImportSentence().Match(sentence.Code);
            header.AppendLine(import.Success ? $"{import.Groups["from"].Value}Require Export {import.Groups["modules"].Value}." : sentence.Text);
            if (Array.IndexOf(ReplayedHeads, head) >= 0 || (head is "Local" or "Global" && sentence.Code.Contains("Open Scope", StringComparison.Ordinal)))
            {
                // Scopes and flags do not travel through an import: each side sets them again, after the import.
                replay.Add(sentence.Text.Trim());
            }
        }

        var importLine = $"Require Import {Library}. {string.Join(' ', replay)}";
        return new CoqSharedHeader(
            header.ToString(),
            Replace(candidate, candidateScan.Sentences[length - 1].End, importLine),
            Replace(statement, prefix[^1].End, importLine));
    }

    /// <summary>Replaces <c>text[0..end)</c> by <paramref name="line"/>, keeping the line count and the last line's width.</summary>
    private static string Replace(string text, int end, string line)
    {
        var region = text.AsSpan(0, end);
        var newlines = region.Count('\n');
        if (newlines == 0)
        {
            return line + " " + text[end..];
        }

        var lastLine = end - (text.LastIndexOf('\n', end - 1) + 1);
        return line + new string('\n', newlines) + new string(' ', lastLine) + text[end..];
    }

    private static bool Balanced(IReadOnlyList<string> codes)
    {
        var depth = 0;
        foreach (var code in codes)
        {
            var head = code.Split(' ')[0];
            depth += head is "Section" || (head is "Module" && !code.Contains(":=", StringComparison.Ordinal)) ? 1 : head is "End" ? -1 : 0;
        }

        return depth == 0;
    }

    [GeneratedRegex(@"^(?<from>From [A-Za-z_][\w.]* )?Require Import (?<modules>[A-Za-z_][\w.]*(?: [A-Za-z_][\w.]*)*)\.$")]
    private static partial Regex ImportSentence();
}
