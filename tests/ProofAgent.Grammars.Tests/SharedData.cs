using System.Text.Json;

namespace ProofAgent.Grammars.Tests;

/// <summary>The team's miniF2F data in <c>../shared/minif2f</c>.</summary>
public static class SharedData
{
    /// <summary><c>../shared</c> beside the checkout when it holds <c>minif2f</c>, or null.</summary>
    public static string? Directory => TestPaths.SharedDirectoryHolding("minif2f");

    public static string Path_(params string[] parts) => Path.Combine([Directory ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    /// <summary>(name, formal_statement) of a miniF2F .jsonl file.</summary>
    public static List<(string Name, string Statement)> Jsonl(string file) =>
        File.ReadLines(Path_("minif2f", file))
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                using var document = JsonDocument.Parse(l);
                return (document.RootElement.GetProperty("name").GetString()!, document.RootElement.GetProperty("formal_statement").GetString()!);
            })
            .ToList();
}
