using System.CommandLine;
using System.Text.Json;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Grammars;
using ProofAgent.Provers;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent parse --lang lean4|isabelle|coq --data PATH</c>: parse every theorem statement of a dataset and report the failures.</summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var language = new Option<string>("--lang") { Description = "lean4 | isabelle | coq.", Required = true };
        var data = new Option<string>("--data") { Description = "A .jsonl file with name and formal_statement per line (Lean 4, Isabelle), or a .v file or a folder of .v files (Coq).", Required = true };
        var command = new Command("parse", "Parse theorem statements with the Lean 4, Isabelle or Coq grammar and report the parse rate.") { language, data };
        command.SetHandler((parse, output, cancellationToken) =>
        {
            var lang = ParseLanguage(parse.GetValue(language)!);
            var items = LoadStatements(lang, parse.GetValue(data)!);
            var failures = new List<object>();
            var parsed = 0;
            foreach (var (name, text) in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (text is null)
                {
                    failures.Add(new { name, line = 1, column = 1, message = "no Theorem/Lemma sentence found" });
                    continue;
                }

                if (StatementParser.TryParse(lang, text, out _, out var error))
                {
                    parsed++;
                }
                else
                {
                    failures.Add(new { name, line = error!.Line, column = error.Column, message = error.Reason });
                    output.Error.WriteLine($"{name}:{error.Line}:{error.Column}: {error.Reason}");
                }
            }

            if (output.Json)
            {
                output.WriteJson(new { total = items.Count, parsed, failures });
            }

            output.Human.WriteLine($"parsed {parsed} of {items.Count} {LanguageName(lang)} statements");
            return Task.FromResult(failures.Count == 0 ? ExitCodes.Success : ExitCodes.NotProved);
        });
        return command;
    }

    internal static ProofLanguage ParseLanguage(string text) =>
        ProofLanguages.TryParse(text, out var language) && StatementParser.Languages.Contains(language)
            ? language
            : throw new UsageException($"--lang must be lean4, isabelle or coq, got '{text}'");

    private static string LanguageName(ProofLanguage language) => language switch
    {
        ProofLanguage.Lean4 => "Lean 4",
        ProofLanguage.Isabelle => "Isabelle",
        _ => "Coq",
    };

    /// <summary>(name, statement text) pairs; the text is null for a Coq file without a theorem.</summary>
    internal static List<(string Name, string? Text)> LoadStatements(ProofLanguage language, string path) =>
        language == ProofLanguage.Coq
            ? [.. LoadCoqFiles(path).Select(f => (f.Name, f.Statement))]
            : [.. LoadJsonl(path).Select(r => (r.Name, (string?)r.Statement))];

    /// <summary>The Coq files of a file or folder (ordinal order): name, extracted statement (null when none), whole source.</summary>
    internal static List<(string Name, string? Statement, string Source)> LoadCoqFiles(string path)
    {
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
    }

    internal sealed record JsonlRow(string Name, string? Split, string Statement);

    /// <summary>Reads a .jsonl dataset; each line needs "name" and "formal_statement" ("split" is optional).</summary>
    internal static List<JsonlRow> LoadJsonl(string path)
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
