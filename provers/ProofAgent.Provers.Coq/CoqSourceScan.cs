using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Coq;

/// <summary>A theorem-like declaration found in a source (<c>Theorem</c>, <c>Lemma</c>, ...).</summary>
public sealed record CoqTheorem(string Name, string QualifiedSuffix, string Keyword, int SentenceIndex)
{
    /// <summary>The statement sentence (<c>Theorem name : P.</c>) as written.</summary>
    public required string StatementText { get; init; }

    /// <summary>Index of the sentence that closes the proof (<c>Qed</c>, <c>Defined</c>, <c>Admitted</c>, <c>Abort</c>), or -1.</summary>
    public int EndSentenceIndex { get; init; } = -1;

    /// <summary>How the proof ends: <c>Qed</c>, <c>Defined</c>, <c>Admitted</c>, <c>Abort</c>, <c>Save</c>, or null when it does not.</summary>
    public string? Ending { get; init; }

    public int Line { get; init; }
}

/// <summary>A static finding: a hole (incomplete) or a violation (unsound or forbidden), with its location.</summary>
public sealed record CoqFinding(bool IsHole, string Message, int Line, int Column);

/// <summary>What the static pass of the soundness gate found in a source.</summary>
public sealed record CoqScan(IReadOnlyList<CoqSentence> Sentences, IReadOnlyList<CoqTheorem> Theorems, IReadOnlyList<CoqFinding> Findings)
{
    public IEnumerable<CoqFinding> Holes => Findings.Where(f => f.IsHole);

    public IEnumerable<CoqFinding> Violations => Findings.Where(f => !f.IsHole);
}

/// <summary>
/// The static half of the Coq soundness gate. It rejects the commands that let a file claim a theorem it did not prove
/// (axioms, disabled kernel checks, native plugins) or reach outside its job (load paths, file output), and it finds
/// holes and the declared theorems. The dynamic half (<c>Print Assumptions</c>) catches what a scan cannot.
/// </summary>
public static partial class CoqSourceScan
{
    private static readonly string[] TheoremKeywords = ["Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property", "Example"];

    public static CoqScan Scan(string source)
    {
        var sentences = CoqSyntax.SplitSentences(source);
        var theorems = new List<CoqTheorem>();
        var findings = new List<CoqFinding>();
        var scopes = new Stack<(bool IsSection, string Name)>();
        CoqTheorem? open = null;
        var openIndex = -1;

        for (var index = 0; index < sentences.Count; index++)
        {
            var sentence = sentences[index];
            var (line, column) = CoqSyntax.LineColumn(source, sentence.Start);
            var code = StripPrefixes(sentence.Code);
            var words = code.TrimEnd('.').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var head = words.Length > 0 ? words[0] : string.Empty;

            void Violation(string message) => findings.Add(new CoqFinding(false, message, line, column + 1));
            void Hole(string message) => findings.Add(new CoqFinding(true, message, line, column + 1));

            if (BypassAttribute().IsMatch(sentence.Code))
            {
                Violation("the attribute #[bypass_check(...)] disables a kernel check");
            }

            switch (head)
            {
                case "Axiom" or "Axioms" or "Parameter" or "Parameters" or "Conjecture":
                    Violation($"'{head}' declares an axiom");
                    break;
                case "Hypothesis" or "Hypotheses" or "Variable" or "Variables" or "Context" when !scopes.Any(s => s.IsSection):
                    Violation($"'{head}' outside a section declares an axiom");
                    break;
                case "Unset" when words.Length >= 3 && words[2] == "Checking" && words[1] is "Guard" or "Positivity" or "Universe":
                    Violation($"'Unset {words[1]} Checking' disables a kernel check");
                    break;
                case "Declare" when words.Length >= 2 && words[1] == "ML":
                    Violation("'Declare ML Module' loads native code into the checker");
                    break;
                case "Primitive" or "Register":
                    Violation($"'{head}' binds kernel primitives");
                    break;
                case "Load" or "Cd" or "Drop" or "Redirect":
                    Violation($"'{head}' is not allowed: it reads or writes outside the proof");
                    break;
                case "Add" when words.Length >= 2 && (words[1] is "LoadPath" or "ML" || (words[1] == "Rec" && words.Length >= 3 && words[2] == "LoadPath")):
                    Violation("'Add LoadPath' is not allowed: libraries come from the service's configuration");
                    break;
                case "Extraction" or "Recursive" or "Separate" when code.Contains('"', StringComparison.Ordinal) || sentence.Text.Contains('"', StringComparison.Ordinal):
                    Violation($"'{head} \"file\"' writes files; use extraction outside the proof service");
                    break;
                case "Section":
                    scopes.Push((true, words.ElementAtOrDefault(1) ?? string.Empty));
                    break;
                case "Module" when !code.Contains(":=", StringComparison.Ordinal):
                    scopes.Push((false, words.ElementAtOrDefault(1) is "Type" ? words.ElementAtOrDefault(2) ?? string.Empty : words.ElementAtOrDefault(1) ?? string.Empty));
                    break;
                case "End" when scopes.Count > 0:
                    scopes.Pop();
                    break;
                case "Admitted":
                    Hole(open is null ? "Admitted" : $"'{open.Name}' is Admitted");
                    break;
                case "Admit":
                    Hole("'Admit Obligations' leaves obligations unproved");
                    break;
            }

            if (Array.IndexOf(TheoremKeywords, head) >= 0 && words.Length >= 2)
            {
                var name = words[1].TrimEnd(':');
                var modules = scopes.Where(s => !s.IsSection).Reverse().Select(s => s.Name);
                var qualified = string.Join(".", modules.Append(name));
                open = new CoqTheorem(name, qualified, head, index) { StatementText = sentence.Text.Trim(), Line = line };
                openIndex = theorems.Count;
                theorems.Add(open);
                continue;
            }

            if (head is "Goal")
            {
                // Anonymous goals cannot be audited by name; treat them as scratch work.
                open = null;
                continue;
            }

            if (open is not null && head is "Qed" or "Defined" or "Admitted" or "Abort" or "Save")
            {
                theorems[openIndex] = open with { EndSentenceIndex = index, Ending = head };
                open = null;
                continue;
            }

            if (open is not null && TacticHole().IsMatch(code))
            {
                Hole($"'{open.Name}' uses admit/give_up");
            }
        }

        return new CoqScan(sentences, theorems, findings);
    }

    /// <summary>
    /// Builds a file that states the theorems of <paramref name="source"/> without proving them: every other sentence is
    /// kept (imports, definitions, scopes), and each theorem's proof is replaced by <c>Admitted.</c>.
    /// </summary>
    public static string StatementOnly(string source, CoqScan scan)
    {
        var builder = new System.Text.StringBuilder();
        var skipUntil = -1;
        for (var i = 0; i < scan.Sentences.Count; i++)
        {
            if (i <= skipUntil)
            {
                continue;
            }

            var theorem = scan.Theorems.FirstOrDefault(t => t.SentenceIndex == i);
            if (theorem is not null)
            {
                builder.AppendLine(theorem.StatementText).AppendLine("Admitted.");
                skipUntil = theorem.EndSentenceIndex >= 0 ? theorem.EndSentenceIndex : scan.Sentences.Count;
                continue;
            }

            var code = StripPrefixes(scan.Sentences[i].Code);
            if (code is "Proof." or "Qed." or "Admitted." or "Defined.")
            {
                continue;
            }

            builder.AppendLine(scan.Sentences[i].Text);
        }

        return builder.ToString();
    }

    /// <summary>Removes attributes and prefixes that do not change what a command is (<c>#[local]</c>, <c>Local</c>, <c>Time</c>, ...).</summary>
    /// <summary>
    /// The file's library imports and opened scopes, rewritten as plain <c>Require Import</c> / <c>Open Scope</c> sentences
    /// (nothing else of the file), so that a statement can be printed with the notations of the libraries the file
    /// uses but never with the file's own definitions or notations. Sentences of any other shape are left out.
    /// </summary>
    public static IReadOnlyList<string> PrintingPrelude(CoqScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var lines = new List<string>();
        foreach (var sentence in scan.Sentences)
        {
            var code = sentence.Code.Trim();
            if (ImportSentence().Match(code) is { Success: true } import)
            {
                var modules = import.Groups["modules"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var from = import.Groups["from"].Success ? $"From {import.Groups["from"].Value} " : string.Empty;
                if (!modules.Any(m => m.StartsWith("Job", StringComparison.Ordinal) || m.StartsWith("Expected", StringComparison.Ordinal)) && !from.StartsWith("From Job", StringComparison.Ordinal))
                {
                    lines.Add($"{from}Require Import {string.Join(' ', modules)}.");
                }
            }
            else if (OpenScopeSentence().Match(code) is { Success: true } scope)
            {
                lines.Add($"Open Scope {scope.Groups["scope"].Value}.");
            }
        }

        return lines;
    }

    [GeneratedRegex(@"^(?:From (?<from>[A-Za-z_][\w.]*) )?Require (?:Import|Export) (?<modules>[A-Za-z_][\w.]*(?: [A-Za-z_][\w.]*)*)\.$")]
    private static partial Regex ImportSentence();

    [GeneratedRegex(@"^(?:Local |Global )?Open Scope (?<scope>[A-Za-z_][\w]*)\.$")]
    private static partial Regex OpenScopeSentence();

    private static string StripPrefixes(string code)
    {
        var current = code;
        while (true)
        {
            var next = LeadingPrefix().Replace(current, string.Empty, 1);
            if (next == current)
            {
                return current;
            }

            current = next;
        }
    }

    [GeneratedRegex(@"^(#\[[^\]]*\]\s*|(Local|Global|Polymorphic|Monomorphic|Cumulative|NonCumulative|Private|Program|Export|Time|Instructions|Succeed|Timeout\s+\d+)\s+)")]
    private static partial Regex LeadingPrefix();

    [GeneratedRegex(@"(?<![\w'.])(admit|give_up)(?![\w'])")]
    private static partial Regex TacticHole();

    [GeneratedRegex(@"bypass_check")]
    private static partial Regex BypassAttribute();
}
