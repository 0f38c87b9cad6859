using ProofAgent.Lsp.Text;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Outline;

/// <summary>A hole in the text (<c>Admitted.</c>, <c>admit</c>, <c>sorry</c>, <c>oops</c>, ...): UTF-16 offsets [Start, End).</summary>
public sealed record HoleSpan(int Start, int End, string Message, string? Theorem);

/// <summary>
/// A theorem of the text. <see cref="ProofStart"/>..<see cref="ProofEnd"/> is what a proof replaces when the theorem's
/// proof is a hole (<see cref="HasHole"/>); offsets are UTF-16 indexes into the text the outline was made from.
/// </summary>
public sealed record TheoremSpan(string Name, int Start, int NameStart, int NameEnd, int StatementEnd, int ProofStart, int ProofEnd, bool HasHole)
{
    /// <summary>The statement as written (for Coq the <c>Theorem name : P.</c> sentence).</summary>
    public required string Statement { get; init; }
}

/// <summary>The theorems and holes of a document, located for the editor.</summary>
public sealed record SourceOutline(IReadOnlyList<TheoremSpan> Theorems, IReadOnlyList<HoleSpan> Holes)
{
    public static SourceOutline Empty { get; } = new([], []);

    /// <summary>The theorem whose span (statement through proof) holds an offset, or null.</summary>
    public TheoremSpan? TheoremAt(int offset) =>
        Theorems.LastOrDefault(t => t.Start <= offset && offset <= Math.Max(t.ProofEnd, t.StatementEnd));

    /// <summary>The theorem whose name covers an offset, or null.</summary>
    public TheoremSpan? TheoremNamedAt(int offset) => Theorems.FirstOrDefault(t => t.NameStart <= offset && offset <= t.NameEnd);

    public TheoremSpan? Theorem(string name) => Theorems.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>Reads the outline of a text in a language (SMT-LIB scripts have neither theorems nor holes).</summary>
    public static SourceOutline Of(ProofLanguage language, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return language switch
            {
                ProofLanguage.Coq => CoqOutline.Read(text),
                ProofLanguage.Lean4 => OtherOutlines.Lean(text),
                ProofLanguage.Isabelle => OtherOutlines.Isabelle(text),
                ProofLanguage.FStar => OtherOutlines.FStar(text),
                _ => Empty,
            };
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A scanner that trips on a half-typed file must not take the server down; the prover still reports on it.
            return Empty;
        }
    }

    /// <summary>The offset of a prover finding, taking its column as code points (the project's contract).</summary>
    internal static int OffsetOf(TextLines lines, int line, int column) => lines.OffsetOfProverPosition(line, column);
}
