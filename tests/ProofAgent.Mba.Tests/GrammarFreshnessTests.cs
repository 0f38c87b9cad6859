using System.Security.Cryptography;
using System.Text.Json;

namespace ProofAgent.Mba.Tests;

public sealed class GrammarFreshnessTests
{
    [Fact]
    public void Generated_MBA_parser_is_up_to_date_with_its_grammar()
    {
        var root = TestPaths.RepositoryRoot;
        var project = Path.Combine(root, "grammars", "ProofAgent.Grammars.Mba");
        // The pinned generator version comes from grammars/package.json: node_modules is absent from a fresh clone.
        var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "grammars", "package.json")));
        var expected = new List<string> { "antlr-ng " + package.RootElement.GetProperty("devDependencies").GetProperty("antlr-ng").GetString() };
        foreach (var g4 in Directory.GetFiles(Path.Combine(project, "Grammar"), "*.g4").OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            expected.Add($"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(g4)))}  {Path.GetFileName(g4)}");
        }

        var committed = File.ReadAllLines(Path.Combine(project, "Generated", "GRAMMAR.sha256"));
        Assert.True(expected.SequenceEqual(committed), "grammars/ProofAgent.Grammars.Mba/Generated is stale: run grammars/generate.sh\nexpected:\n" + string.Join("\n", expected));
    }
}
