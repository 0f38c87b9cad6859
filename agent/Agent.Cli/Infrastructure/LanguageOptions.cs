using ProofAgent.Grammars;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>The <c>--lang</c> values the commands accept, turned into languages (a usage error names the bad value).</summary>
internal static class LanguageOptions
{
    /// <summary>A prover language from <c>--lang</c>, or inferred from the file extension when the option is absent.</summary>
    public static ProofLanguage ResolveProofLanguage(string path, string? explicitLanguage)
    {
        if (explicitLanguage is not null)
        {
            return ProofLanguages.TryParse(explicitLanguage, out var parsed)
                ? parsed
                : throw new UsageException($"unknown --lang '{explicitLanguage}'; expected one of {string.Join(", ", ProofLanguages.All.Select(l => l.Id()))}");
        }

        return ProofLanguages.TryFromPath(path, out var inferred)
            ? inferred
            : throw new UsageException($"cannot infer the language of '{path}' from its extension; pass --lang ({string.Join(", ", ProofLanguages.All.Select(l => l.Id()))})");
    }

    /// <summary>A statement-grammar language (<c>parse</c>, <c>smt-triage</c>): lean4, isabelle or coq.</summary>
    public static ProofLanguage ParseStatementLanguage(string text) =>
        ProofLanguages.TryParse(text, out var language) && StatementParser.Languages.Contains(language)
            ? language
            : throw new UsageException($"--lang must be lean4, isabelle or coq, got '{text}'");
}
