using System.Text;
using ProofAgent.Provers;
using ProofAgent.Syntax;

namespace ProofAgent.Agent.Coq;

/// <summary>A theorem of a Coq file whose proof is a hole (<c>Admitted</c>, or no proof at all).</summary>
/// <param name="Name">The theorem's name.</param>
/// <param name="Statement">The statement sentence (<c>Theorem name : P.</c>).</param>
/// <param name="StatementStart">Offset of the statement in the source.</param>
/// <param name="ProofStart">Offset just after the statement: the proof that replaces the hole starts here.</param>
/// <param name="ProofEnd">Offset just after the hole's last sentence (<c>Admitted.</c>).</param>
public sealed record CoqGap(string Name, string Statement, int StatementStart, int ProofStart, int ProofEnd);

/// <summary>Reads a Coq file for the agent: which theorems need a proof, the header before each, and how to fill them.</summary>
public static class CoqProofFile
{
    /// <summary>
    /// The imports the automation needs; added once, before the first filled theorem. The Zify instances for <c>nat</c>
    /// and <c>N</c> division and modulo and for <c>Z.pow</c> are not loaded by <c>Lia</c> itself: with them <c>lia</c>
    /// and <c>nia</c> decide the modular arithmetic of number-theory problems (<c>n mod 5 = 3 -> (2 * n) mod 5 = 1</c>).
    /// </summary>
    public const string AutomationImports = "From Coq Require Import Lia Lra Psatz ZifyNat ZifyN ZifyPow.";

    /// <summary>The theorems whose proof is <c>Admitted</c> or missing, in source order, as Coq's scanner reads them.</summary>
    public static IReadOnlyList<CoqGap> FindGaps(ISourceScanner coq, string source)
    {
        ArgumentNullException.ThrowIfNull(coq);
        return [.. coq.Scan(source).Theorems
            .Where(t => t.HasHole)
            .Select(t => t.Span is { } span ? new CoqGap(t.Name, t.Statement, span.StatementStart, span.ProofStart, span.ProofEnd) : null)
            .OfType<CoqGap>()];
    }

    /// <summary>
    /// The automation imports, then the text before a gap's statement: the environment of an interactive session. The
    /// imports come first so that the file's own <c>Require</c>s and <c>Open Scope</c>s come after them and win:
    /// importing <c>Lra</c> after <c>Open Scope C_scope</c> would reopen <c>R_scope</c> and change the statement.
    /// </summary>
    public static string Header(string source, CoqGap gap) =>
        AutomationImports + "\n" + source[..gap.StatementStart];

    /// <summary>
    /// Replaces the holes of <paramref name="gaps"/> by the given scripts (<c>null</c>: left as is) and puts
    /// <paramref name="imports"/> (default: the automation's) first.
    /// </summary>
    public static string Fill(string source, IReadOnlyList<CoqGap> gaps, IReadOnlyList<string?> scripts, string? imports = AutomationImports)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(scripts.Count, gaps.Count);
        var builder = new StringBuilder();
        var last = 0;
        if (imports is not null && scripts.Any(s => s is not null))
        {
            builder.Append(imports).Append('\n');
        }

        for (var i = 0; i < gaps.Count; i++)
        {
            var gap = gaps[i];
            if (scripts[i] is not { } script)
            {
                continue;
            }

            builder.Append(source, last, gap.StatementStart - last);

            builder.Append(source, gap.StatementStart, gap.ProofStart - gap.StatementStart);
            builder.Append("\nProof.\n").Append(Indent(script)).Append("\nQed.");
            last = gap.ProofEnd;
        }

        builder.Append(source, last, source.Length - last);
        return builder.ToString();
    }

    /// <summary>
    /// The tactic sentences of a proof (a fenced block's code, already extracted): the body between <c>Proof.</c> and
    /// <c>Qed.</c> when the text states the theorem, else the whole text; imports dropped.
    /// </summary>
    public static IReadOnlyList<string> ExtractScript(string proof)
    {
        var sentences = CoqLexer.Sentences(proof).Select(s => s.Text.Trim()).ToList();
        var start = sentences.FindIndex(s => s is "Proof.");
        if (start >= 0)
        {
            sentences = sentences[(start + 1)..];
        }

        var end = sentences.FindIndex(s => s is "Qed." or "Defined." or "Admitted." or "Abort.");
        if (end >= 0)
        {
            sentences = sentences[..end];
        }

        return sentences.Where(s => !s.StartsWith("Require", StringComparison.Ordinal) && !s.StartsWith("From ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>True when <paramref name="proof"/> is a complete file that states the theorem <paramref name="name"/> itself.</summary>
    public static bool StatesTheorem(ISourceScanner coq, string proof, string name) =>
        coq.Scan(proof).Theorems.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    private static string Indent(string script) =>
        string.Join("\n", script.Split('\n').Select(line => line.Length == 0 ? line : "  " + line));
}
