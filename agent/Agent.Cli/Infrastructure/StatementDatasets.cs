using System.Text.Json;
using ProofAgent.Grammars;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>Reads the theorem-statement datasets that <c>parse</c> and <c>smt-triage</c> take through <c>--data</c>.</summary>
internal static class StatementDatasets
{
    /// <summary>(name, statement text) pairs; the text is null for a Coq file without a theorem.</summary>
    public static List<(string Name, string? Text)> LoadStatements(ProofLanguage language, string path) =>
        language == ProofLanguage.Coq
            ? [.. LoadCoqFiles(path).Select(f => (f.Name, f.Statement))]
            : [.. LoadJsonl(path).Select(r => (r.Name, (string?)r.Statement))];

    /// <summary>The Coq files of a file or folder (ordinal order): name, extracted statement (null when none), whole source.</summary>
    public static List<(string Name, string? Statement, string Source)> LoadCoqFiles(string path)
    {
        IEnumerable<string> files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "*.v", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new UsageException($"--data '{path}' does not exist");
        }

        return [.. files.Select(f =>
        {
            var source = CommandRunner.ReadUserFile(f, "Coq file");
            return (Path.GetFileNameWithoutExtension(f), CoqSource.ExtractStatement(source), source);
        })];
    }

    public sealed record JsonlRow(string Name, string? Split, string Statement);

    /// <summary>Reads a .jsonl dataset; each line needs "name" and "formal_statement" ("split" is optional).</summary>
    public static List<JsonlRow> LoadJsonl(string path)
    {
        var text = CommandRunner.ReadUserFile(path, "data file", 256L * 1024 * 1024);
        var rows = new List<JsonlRow>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("formal_statement", out var statement) || statement.ValueKind != JsonValueKind.String)
                {
                    throw new UsageException($"{path}:{lineNumber}: expected an object with a string \"formal_statement\"");
                }

                var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"line{lineNumber}";
                var split = root.TryGetProperty("split", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                rows.Add(new JsonlRow(name, split, statement.GetString()!));
            }
            catch (JsonException exception)
            {
                throw new UsageException($"{path}:{lineNumber}: not JSON ({exception.Message})");
            }
        }

        return rows;
    }
}
