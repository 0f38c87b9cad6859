using System.Text.RegularExpressions;
using ProofAgent.Syntax;

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

/// <summary>What the static pass of the soundness gate found in a source.</summary>
public sealed record CoqScan(CoqLexing Lexing, IReadOnlyList<CoqTheorem> Theorems, IReadOnlyList<GateFinding> Findings)
{
    public IReadOnlyList<CoqSentence> Sentences => Lexing.Sentences;

    public IEnumerable<GateFinding> Holes => Findings.Where(f => f.IsHole);

    public IEnumerable<GateFinding> Violations => Findings.Where(f => !f.IsHole);
}

/// <summary>
/// The static half of the Coq soundness gate, an early reject: it reads the source with Coq's own lexer
/// (<see cref="CoqLexer"/>) and rejects the commands that let a file claim a theorem it did not prove (axioms in all their
/// spellings, disabled kernel checks, native plugins), reach outside its job (load paths, file output), or use a kernel
/// feature that a known bug of the installed Coq makes untrusted; it finds holes and the declared theorems. Everything it
/// rejects is also caught after compilation (the audit and <c>coqchk</c>), so a scan that were blinded would not be enough.
/// </summary>
public static partial class CoqSourceScan
{
    private static readonly string[] TheoremKeywords = ["Theorem", "Lemma", "Fact", "Remark", "Corollary", "Proposition", "Property", "Example"];

    private static readonly string[] InductiveKeywords = ["Inductive", "CoInductive", "Variant", "Record", "Structure", "Class"];

    /// <summary>Scans with no kernel feature gated (the features are then checked after compilation only).</summary>
    public static CoqScan Scan(string source) => Scan(source, new HashSet<KernelFeature>());

    /// <summary>Scans, rejecting the text-level uses of <paramref name="untrusted"/> features (modules, let-ins in constructors, ...).</summary>
    public static CoqScan Scan(string source, IReadOnlySet<KernelFeature> untrusted)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(untrusted);
        var lexing = CoqLexer.Lex(source);
        var sentences = lexing.Sentences;
        var theorems = new List<CoqTheorem>();
        var findings = new List<GateFinding>();
        var scopes = new Stack<(bool IsSection, string Name)>();
        CoqTheorem? open = null;
        var openIndex = -1;

        for (var index = 0; index < sentences.Count; index++)
        {
            var sentence = sentences[index];
            var (line, column) = CoqLexer.Position(source, sentence.Start);
            var code = StripPrefixes(sentence.Code);
            var words = code.TrimEnd('.').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var head = words.Length > 0 ? words[0] : string.Empty;

            void Violation(string message) => findings.Add(new GateFinding(line, column, message, IsHole: false));
            void Hole(string message) => findings.Add(new GateFinding(line, column, message, IsHole: true));

            // Anywhere in the sentence, whatever prefixes or attributes come first: the commands that switch a kernel check off.
            foreach (Match match in DisabledCheck().Matches(sentence.Code))
            {
                Violation($"'Unset {match.Groups["check"].Value} Checking' disables a kernel check");
            }

            if (BypassAttribute().IsMatch(sentence.Code))
            {
                Violation("the attribute #[bypass_check(...)] disables a kernel check");
            }

            if (DeclareCommand().Match(sentence.Code) is { Success: true } declare)
            {
                Violation(declare.Groups["what"].Value switch
                {
                    "ML" => "'Declare ML Module' loads native code into the checker",
                    "Instance" => "'Declare Instance' declares an instance without a proof (an axiom)",
                    _ => "'Declare Module' declares a module without an implementation (its fields are axioms)",
                });
            }

            switch (head)
            {
                case "Axiom" or "Axioms" or "Parameter" or "Parameters" or "Conjecture" or "Conjectures":
                    Violation($"'{head}' declares an axiom");
                    break;
                case "Hypothesis" or "Hypotheses" or "Variable" or "Variables" or "Context" when !scopes.Any(s => s.IsSection):
                    Violation($"'{head}' outside a section declares an axiom");
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
                case "Extraction" or "Recursive" or "Separate" when code.Contains('"', StringComparison.Ordinal):
                    Violation($"'{head} \"file\"' writes files; use extraction outside the proof service");
                    break;
                case "Section":
                    scopes.Push((true, words.ElementAtOrDefault(1) ?? string.Empty));
                    break;
                case "Module" when !code.Contains(":=", StringComparison.Ordinal):
                    scopes.Push((false, words.ElementAtOrDefault(1) is "Type" or "Import" or "Export" ? words.ElementAtOrDefault(2) ?? string.Empty : words.ElementAtOrDefault(1) ?? string.Empty));
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

            foreach (var feature in FeatureUses(sentence.Code, code, head, words).Where(untrusted.Contains).Distinct())
            {
                Violation(FeatureMessage(feature));
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

        return new CoqScan(lexing, theorems, findings);
    }

    /// <summary>The text-level uses of gated kernel features in one sentence (<paramref name="raw"/> is the folded code with prefixes).</summary>
    private static IEnumerable<KernelFeature> FeatureUses(string raw, string code, string head, string[] words)
    {
        if (Cumulativity().IsMatch(raw))
        {
            yield return KernelFeature.Cumulativity;
        }

        if (DefinitionalUip().IsMatch(raw))
        {
            yield return KernelFeature.DefinitionalUip;
        }

        if (head is "Module" or "Include" or "Declare" && IsModuleOperation(code, head, words))
        {
            yield return KernelFeature.Modules;
        }

        if (Array.IndexOf(InductiveKeywords, head) >= 0 && (LetKeyword().IsMatch(code) || LetBinder().IsMatch(code) || (head is "Record" or "Structure" or "Class" && ManifestField().IsMatch(code))))
        {
            yield return KernelFeature.ConstructorLetIns;
        }
    }

    /// <summary>
    /// Functors (parameters), application, ascription (<c>: T</c>, <c>&lt;: T</c>), <c>Declare Module</c>, and
    /// <c>Include</c> of anything but one module name. A plain <c>Module M.</c> or alias <c>Module M := N.</c> is fine.
    /// </summary>
    private static bool IsModuleOperation(string code, string head, string[] words)
    {
        if (head == "Declare")
        {
            return words.ElementAtOrDefault(1) == "Module";
        }

        if (head == "Include")
        {
            return words.Length != 2 || code.Contains("<+", StringComparison.Ordinal);
        }

        var afterName = words.SkipWhile(w => w is "Module" or "Type" or "Import" or "Export").Skip(1).ToList();
        if (afterName.Count == 0)
        {
            return false;
        }

        if (afterName[0].StartsWith('(') || afterName[0].StartsWith(':') || afterName[0].StartsWith("<:", StringComparison.Ordinal) || afterName[0].StartsWith('!'))
        {
            return true;
        }

        var body = afterName.SkipWhile(w => w != ":=").Skip(1).ToList();
        return body.Count > 1 || code.Contains("<+", StringComparison.Ordinal);
    }

    private static string FeatureMessage(KernelFeature feature) => feature switch
    {
        KernelFeature.Modules => "functors, module application, module type ascription and 'Declare Module' are not trusted on this Coq version (module strengthening bugs)",
        KernelFeature.ConstructorLetIns => "let-ins in constructor types (and defined record fields) are not trusted on this Coq version (conversion bugs)",
        KernelFeature.Cumulativity => "cumulative inductive types are not trusted on this Coq version (variance inference bugs)",
        KernelFeature.DefinitionalUip => "'Definitional UIP' is not trusted on this Coq version (conversion bugs)",
        _ => $"{feature} is not trusted on this Coq version",
    };

    /// <summary>
    /// Builds a file that states the theorems of <paramref name="source"/> without proving them: every other sentence is
    /// kept (imports, definitions, scopes), and each theorem's proof is replaced by <c>Admitted.</c>.
    /// </summary>
    public static string StatementOnly(string source, CoqScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
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
                if (!modules.Any(IsJobLibrary) && !IsJobLibrary(import.Groups["from"].Value))
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

    // The job's own libraries, by root or by the short names a suffix match would find (a half-written Candidate.vo).
    private static bool IsJobLibrary(string module) =>
        module.StartsWith("Job", StringComparison.Ordinal) || module.StartsWith("Expected", StringComparison.Ordinal) || module.StartsWith("Shared", StringComparison.Ordinal)
        || module.Split('.')[^1] is "Candidate" or "Statement" or "ProofAgentHeader";

    /// <summary>
    /// The source's <c>Require</c> sentences without their <c>Import</c>/<c>Export</c> (and without the job's own libraries):
    /// they load exactly the libraries that requiring the compiled source loads, and change no name, notation or scope.
    /// </summary>
    public static IReadOnlyList<string> LibraryLoads(CoqScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var lines = new List<string>();
        foreach (var sentence in scan.Sentences)
        {
            if (ImportSentence().Match(sentence.Code.Trim()) is { Success: true } import)
            {
                var modules = import.Groups["modules"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var from = import.Groups["from"].Success ? $"From {import.Groups["from"].Value} " : string.Empty;
                if (!modules.Any(IsJobLibrary) && !IsJobLibrary(import.Groups["from"].Value))
                {
                    lines.Add($"{from}Require {string.Join(' ', modules)}.");
                }
            }
        }

        return lines;
    }

    /// <summary>The libraries a source requires (<c>From X Require Import A B</c> gives <c>X.A</c>, <c>X.B</c>), in order, each once.</summary>
    public static IReadOnlyList<string> RequiredLibraries(CoqScan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var libraries = new List<string>();
        foreach (var sentence in scan.Sentences)
        {
            if (ImportSentence().Match(sentence.Code.Trim()) is { Success: true } import)
            {
                var from = import.Groups["from"].Success ? import.Groups["from"].Value + "." : string.Empty;
                libraries.AddRange(import.Groups["modules"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => from + m));
            }
        }

        return [.. libraries.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Removes attributes and prefixes that do not change what a command is (<c>#[local]</c>, <c>Local</c>, <c>Time</c>, <c>Fail</c>, ...).</summary>
    internal static string StripPrefixes(string code)
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

    [GeneratedRegex(@"^(?:From (?<from>[A-Za-z_][\w.]*) )?Require (?:Import |Export )?(?<modules>[A-Za-z_][\w.]*(?: [A-Za-z_][\w.]*)*)\.$")]
    private static partial Regex ImportSentence();

    [GeneratedRegex(@"^(?:Local |Global )?Open Scope (?<scope>[A-Za-z_][\w]*)\.$")]
    private static partial Regex OpenScopeSentence();

    [GeneratedRegex(@"^(#\[[^\]]*\]\s*|(Local|Global|Polymorphic|Monomorphic|Cumulative|NonCumulative|Private|Program|Export|Time|Instructions|Succeed|Fail|Profile|Timeout\s+\d+)\s+)")]
    private static partial Regex LeadingPrefix();

    [GeneratedRegex(@"(?<![\w'.])(admit|give_up)(?![\w'])")]
    private static partial Regex TacticHole();

    [GeneratedRegex(@"bypass_check")]
    private static partial Regex BypassAttribute();

    [GeneratedRegex(@"(?<![\w'.])Unset\s+(?<check>Guard|Positivity|Universe)\s+Checking(?![\w'])")]
    private static partial Regex DisabledCheck();

    [GeneratedRegex(@"(?<![\w'.])Declare\s+(?<what>ML|Instance|Module)(?![\w'])")]
    private static partial Regex DeclareCommand();

    [GeneratedRegex(@"(?<![\w'.])Cumulative(?![\w'])|universes\s*\(\s*cumulative|Polymorphic\s+Inductive\s+Cumulativity")]
    private static partial Regex Cumulativity();

    [GeneratedRegex(@"Definitional\s+UIP")]
    private static partial Regex DefinitionalUip();

    [GeneratedRegex(@"(?<![\w'.])let(?![\w'])")]
    private static partial Regex LetKeyword();

    /// <summary>A let-binder <c>(x := t)</c> or <c>(x : T := t)</c>.</summary>
    [GeneratedRegex(@"\(\s*[A-Za-z_][\w']*(?:\s+[A-Za-z_][\w']*)*\s*(?::[^()]*)?:=")]
    private static partial Regex LetBinder();

    /// <summary>A defined record field <c>{ ...; b := t }</c> (a let-in in the constructor's type).</summary>
    [GeneratedRegex(@"[{;]\s*[A-Za-z_][\w']*(?:\s+[^;{}:]*)?(?::[^;{}]*)?:=")]
    private static partial Regex ManifestField();
}
