using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ProofAgent.Grammars.Tests;

public sealed class GeneratedCodeTests
{
    /// <summary>GRAMMAR.sha256 = the pinned generator's version and the hash of each .g4 (as grammars/generate.sh writes it).</summary>
    [Fact]
    public void Generated_parsers_are_up_to_date_with_their_grammars()
    {
        var project = Path.Combine(TestPaths.RepositoryRoot, "grammars", "ProofAgent.Grammars");
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "grammars", "package.json")));
        var version = package.RootElement.GetProperty("devDependencies").GetProperty("antlr-ng").GetString();
        var expected = new StringBuilder().Append("antlr-ng ").Append(version).Append('\n');
        foreach (var g4 in Directory.GetFiles(Path.Combine(project, "Grammar"), "*.g4").OrderBy(Path.GetFileName, StringComparer.Ordinal))
        {
            var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(g4))).ToLowerInvariant();
            expected.Append(hash).Append("  ").Append(Path.GetFileName(g4)).Append('\n');
        }

        var committed = File.ReadAllText(Path.Combine(project, "Generated", "GRAMMAR.sha256"));
        Assert.True(expected.ToString() == committed, "the generated parsers are stale: run grammars/generate.sh\nexpected:\n" + expected + "committed:\n" + committed);
        foreach (var grammar in new[] { "LeanStatement", "IsabelleStatement", "CoqStatement" })
        {
            Assert.True(File.Exists(Path.Combine(project, "Generated", grammar + "Parser.cs")), grammar + "Parser.cs is missing");
        }
    }
}
