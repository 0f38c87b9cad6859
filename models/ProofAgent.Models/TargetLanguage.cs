namespace ProofAgent.Models;

/// <summary>
/// The proof language a prompt asks for and an answer is read in: its name in prompts, the fence tag prompts use, and
/// every fence tag an answer may carry. Models know nothing of provers; the agent maps its languages onto these.
/// </summary>
/// <param name="Holes">How the language spells an unfinished proof, for the prompt's "do not use ...".</param>
public sealed record TargetLanguage(string Id, string DisplayName, IReadOnlyList<string> FenceTags, string Holes)
{
    public static TargetLanguage Lean4 { get; } = new("lean4", "Lean 4", ["lean4", "lean"], "sorry or admit");

    public static TargetLanguage Coq { get; } = new("coq", "Coq (Rocq)", ["coq", "rocq", "v"], "admit, Admitted or Axiom");

    public static TargetLanguage Isabelle { get; } = new("isabelle", "Isabelle/HOL", ["isabelle", "isar", "thy"], "sorry or oops");

    public static TargetLanguage FStar { get; } = new("fstar", "F*", ["fstar", "fst", "f*"], "admit, assume or magic");

    /// <summary>Every language, Lean 4 first (the prover models' own).</summary>
    public static IReadOnlyList<TargetLanguage> All { get; } = [Lean4, Coq, Isabelle, FStar];

    /// <summary>The tag the prompts put on fences (<c>lean4</c>, <c>coq</c>, ...).</summary>
    public string FenceTag => FenceTags[0];

    /// <summary>The language named <paramref name="id"/> (an id or one of its fence tags, case-insensitive).</summary>
    public static TargetLanguage Find(string id) =>
        All.FirstOrDefault(l => string.Equals(l.Id, id, StringComparison.OrdinalIgnoreCase) || l.FenceTags.Contains(id, StringComparer.OrdinalIgnoreCase))
        ?? throw new ModelException(ModelErrorKind.InvalidRequest, $"unknown proof language '{id}'; expected one of {string.Join(", ", All.Select(l => l.Id))}");

    public bool Equals(TargetLanguage? other) => other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    public override string ToString() => Id;
}
