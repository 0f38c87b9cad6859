using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Grammars.Tests;

/// <summary>Every miniF2F statement of the three languages parses (the failures, if any, are listed in the message).</summary>
public sealed class ParseRateTests
{
    [RequiresSharedFolderFact("minif2f")]
    public void Should_parse_all_488_Lean4_statements() =>
        AssertAllParse(ProofLanguage.Lean4, SharedData.Jsonl("minif2f_lean4.jsonl"));

    [RequiresSharedFolderFact("minif2f")]
    public void Should_parse_all_488_Isabelle_statements() =>
        AssertAllParse(ProofLanguage.Isabelle, SharedData.Jsonl("minif2f_isabelle.jsonl"));

    [RequiresSharedFolderFact("minif2f")]
    public void Should_parse_all_488_Rocq_statements()
    {
        var files = Directory.EnumerateFiles(SharedData.Path_("minif2f", "rocq"), "*.v", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var items = files.Select(f => (Path.GetFileNameWithoutExtension(f), CoqSource.ExtractStatement(File.ReadAllText(f)) ?? string.Empty)).ToList();
        AssertAllParse(ProofLanguage.Coq, items);
    }

    private static void AssertAllParse(ProofLanguage language, List<(string Name, string Statement)> items)
    {
        Assert.Equal(488, items.Count);
        var failures = new List<string>();
        foreach (var (name, text) in items)
        {
            if (!StatementParser.TryParse(language, text, out var statement, out var error))
            {
                failures.Add($"{name}: {error!.Message}");
            }
            else
            {
                Assert.Equal(name, statement!.Name);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {items.Count} {language} statements do not parse:\n" + string.Join("\n", failures));
    }
}
