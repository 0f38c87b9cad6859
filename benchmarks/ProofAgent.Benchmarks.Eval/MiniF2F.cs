using System.Text.Json;
using ProofAgent.Provers;

namespace ProofAgent.Benchmarks.Eval;

/// <summary>One benchmark problem: a file whose theorem has a hole. <see cref="InformalProof"/> never reaches a prompt unless asked.</summary>
public sealed record BenchmarkProblem(string Name, string Split, ProofLanguage Language, string Source)
{
    /// <summary>The category, from the name's prefix (<c>mathd_algebra</c>, <c>amc12a</c>, <c>imo</c>, ...).</summary>
    public string Category => MiniF2F.CategoryOf(Name);

    public string? InformalProof { get; init; }
}

/// <summary>
/// Loads miniF2F in its three shipped formats: a folder of Rocq <c>.v</c> files (<c>DIR/test/*.v</c>, <c>DIR/valid/*.v</c>),
/// and JSONL files for Lean 4 (<c>header</c> + <c>formal_statement</c>) and Isabelle (<c>header</c> + <c>formal_statement</c>).
/// </summary>
public static class MiniF2F
{
    public static IReadOnlyList<string> Splits { get; } = ["test", "valid", "all"];

    /// <summary>Loads the problems of a split (<c>test</c>, <c>valid</c> or <c>all</c>), ordered by split then name (ordinal).</summary>
    /// <exception cref="InvalidDataException">The data is missing or malformed; the message names the file and line.</exception>
    public static IReadOnlyList<BenchmarkProblem> Load(ProofLanguage language, string path, string split)
    {
        if (!Splits.Contains(split))
        {
            throw new ArgumentException($"unknown split '{split}'; expected test, valid or all", nameof(split));
        }

        var problems = language switch
        {
            ProofLanguage.Coq => LoadRocq(path, split),
            ProofLanguage.Lean4 or ProofLanguage.Isabelle => LoadJsonl(language, path, split),
            _ => throw new NotSupportedException($"miniF2F has no {language.Id()} version"),
        };
        return [.. problems.OrderBy(p => p.Split, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)];
    }

    public static string CategoryOf(string name)
    {
        var parts = name.Split('_');
        return parts.Length >= 2 && parts[0] == "mathd" ? parts[0] + "_" + parts[1] : parts[0];
    }

    private static List<BenchmarkProblem> LoadRocq(string path, string split)
    {
        if (!Directory.Exists(path))
        {
            throw new InvalidDataException($"the Rocq miniF2F folder '{path}' does not exist (expected DIR/test/*.v and DIR/valid/*.v)");
        }

        var problems = new List<BenchmarkProblem>();
        foreach (var part in split == "all" ? new[] { "test", "valid" } : [split])
        {
            var folder = Path.Combine(path, part);
            if (!Directory.Exists(folder))
            {
                throw new InvalidDataException($"the Rocq miniF2F folder '{path}' has no '{part}' subfolder");
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.v"))
            {
                problems.Add(new BenchmarkProblem(Path.GetFileNameWithoutExtension(file), part, ProofLanguage.Coq, File.ReadAllText(file)));
            }
        }

        return problems;
    }

    private static List<BenchmarkProblem> LoadJsonl(ProofLanguage language, string path, string split)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"the miniF2F file '{path}' does not exist (expected a .jsonl file)");
        }

        var problems = new List<BenchmarkProblem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not JSON: {exception.Message}");
            }

            using (document)
            {
                var root = document.RootElement;
                string Field(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()!
                    : throw new InvalidDataException($"{path}:{lineNumber}: missing string field '{name}'");
                var rowSplit = Field("split");
                if (split != "all" && rowSplit != split)
                {
                    continue;
                }

                var header = Field("header");
                var statement = Field("formal_statement");
                var source = language == ProofLanguage.Lean4
                    ? header + statement.TrimEnd() + " sorry\n"
                    : header + "\n" + statement.TrimEnd() + "\n  sorry\n\nend\n";
                var informal = root.TryGetProperty("informal_proof", out var proof) && proof.ValueKind == JsonValueKind.String ? proof.GetString() : null;
                problems.Add(new BenchmarkProblem(Field("name"), rowSplit, language, source) { InformalProof = informal });
            }
        }

        return problems;
    }
}
