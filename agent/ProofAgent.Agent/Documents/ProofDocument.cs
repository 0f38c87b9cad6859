namespace ProofAgent.Agent.Documents;

/// <summary>A theorem of the file whose proof is a hole: what a session states, in which environment, and what the model sees.</summary>
/// <param name="Name">The theorem's name (<c>(file)</c> when the language has one target per file).</param>
/// <param name="Statement">What an interactive session is asked to prove (<see cref="IProverSession.StartProofAsync"/>).</param>
/// <param name="Header">The environment of a session for it (imports, definitions before it).</param>
/// <param name="PromptStatement">The text the model completes: the file up to and including the hole.</param>
public sealed record ProofTarget(string Name, string Statement, string Header, string PromptStatement);

/// <summary>A model proof turned into something to check: the whole candidate file, and the proof script to sketch from.</summary>
/// <param name="File">The candidate file, checked against the original statement.</param>
/// <param name="Script">The proof's steps, for a sketch (empty when the proof has none this language can replay).</param>
/// <param name="IsCompleteFile">The model answered a complete file (imports or helper lemmas of its own), not a script.</param>
public sealed record Candidate(string File, IReadOnlyList<string> Script, bool IsCompleteFile);

/// <summary>
/// A source file with holes, read with its prover's own scanner: the targets to prove, how a model's proof (a script or
/// a complete file) becomes a candidate file, how a script splits into steps for a session, and how solved targets fill
/// the file. One subclass per language; the stages are the same for all.
/// </summary>
public abstract class ProofDocument(ProofLanguage language, string source, ISourceScanner scanner)
{
    public ProofLanguage Language => language;

    /// <summary>The language's static scanner, its checker's gate's own.</summary>
    protected ISourceScanner Scanner { get; } = scanner ?? throw new ArgumentNullException(nameof(scanner));

    public string Source => source;

    /// <summary>The theorems whose proof is a hole, in source order (empty: nothing to prove, check the file as it is).</summary>
    public abstract IReadOnlyList<ProofTarget> Targets { get; }

    /// <summary>True when the language has interactive sessions for sketches and per-hole refinement.</summary>
    public virtual bool HasSessions => true;

    /// <summary>The file with each target's hole replaced by its script (<c>null</c>: left as it is).</summary>
    public abstract string Fill(IReadOnlyList<string?> scripts);

    /// <summary>The candidate file for a model's proof of target <paramref name="index"/>, or null when it holds a hole.</summary>
    public abstract Candidate? Candidate(int index, string proof, IReadOnlyList<string?> solved);

    /// <summary>The steps of a proof or proof prefix, as a session replays them.</summary>
    public abstract IReadOnlyList<string> Steps(string proof);

    /// <summary>Steps joined back into a script that <see cref="Fill"/> accepts.</summary>
    public abstract string Script(IReadOnlyList<string> steps);

    /// <summary>The document for a language, read with the language's scanner (<see cref="ProverAccess.Scanner"/>).</summary>
    public static ProofDocument For(ProofLanguage language, string source, ISourceScanner? scanner) => (language, scanner) switch
    {
        (_, null) => throw new NotSupportedException($"no proof search for {language.Id()}"),
        (ProofLanguage.Coq, _) => new CoqDocument(source, scanner),
        (ProofLanguage.Lean4, _) => new LeanDocument(source, scanner),
        (ProofLanguage.Isabelle, _) => new IsabelleDocument(source, scanner),
        (ProofLanguage.FStar, _) => new FStarDocument(source, scanner),
        _ => throw new NotSupportedException($"no proof search for {language.Id()}"),
    };

    /// <summary>The solved scripts with target <paramref name="index"/> replaced by <paramref name="script"/>.</summary>
    protected static string?[] With(IReadOnlyList<string?> solved, int index, string script) =>
        [.. solved.Select((s, i) => i == index ? script : s)];
}
