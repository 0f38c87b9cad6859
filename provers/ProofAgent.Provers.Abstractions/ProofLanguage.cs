namespace ProofAgent.Provers;

/// <summary>The proof languages the service reads.</summary>
public enum ProofLanguage
{
    Coq,
    Lean4,
    Isabelle,
    FStar,
    Smt,
}

/// <summary>Stable names and file extensions of <see cref="ProofLanguage"/> (the names are the CLI and JSON spelling).</summary>
public static class ProofLanguages
{
    private static readonly (ProofLanguage Language, string Id, string[] Aliases, string[] Extensions)[] Table =
    [
        (ProofLanguage.Coq, "coq", ["rocq"], [".v"]),
        (ProofLanguage.Lean4, "lean4", ["lean"], [".lean"]),
        (ProofLanguage.Isabelle, "isabelle", ["isar"], [".thy"]),
        (ProofLanguage.FStar, "fstar", ["f*"], [".fst", ".fsti"]),
        (ProofLanguage.Smt, "smt", ["smt2", "smtlib"], [".smt2", ".smt"]),
    ];

    /// <summary>All languages, in declaration order.</summary>
    public static IReadOnlyList<ProofLanguage> All { get; } = [.. Table.Select(row => row.Language)];

    /// <summary>The identifier used on the command line and in JSON (<c>coq</c>, <c>lean4</c>, ...).</summary>
    public static string Id(this ProofLanguage language) =>
        Table.First(row => row.Language == language).Id;

    /// <summary>Parses an identifier or alias, case-insensitively.</summary>
    public static bool TryParse(string? text, out ProofLanguage language)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Id, text, StringComparison.OrdinalIgnoreCase) ||
                row.Aliases.Any(alias => string.Equals(alias, text, StringComparison.OrdinalIgnoreCase)))
            {
                language = row.Language;
                return true;
            }
        }

        language = default;
        return false;
    }

    /// <summary>Infers the language from a file name's extension.</summary>
    public static bool TryFromPath(string path, out ProofLanguage language)
    {
        var extension = Path.GetExtension(path);
        foreach (var row in Table)
        {
            if (row.Extensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase)))
            {
                language = row.Language;
                return true;
            }
        }

        language = default;
        return false;
    }

    /// <summary>The extensions recognised for a language, the canonical one first.</summary>
    public static IReadOnlyList<string> Extensions(this ProofLanguage language) =>
        Table.First(row => row.Language == language).Extensions;
}
