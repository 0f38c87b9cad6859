using ProofAgent.Grammars;
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
            var lang = LanguageOptions.ParseStatementLanguage(parse.GetValue(language)!);
            var items = StatementDatasets.LoadStatements(lang, parse.GetValue(data)!);
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

    private static string LanguageName(ProofLanguage language) => language switch
    {
        ProofLanguage.Lean4 => "Lean 4",
        ProofLanguage.Isabelle => "Isabelle",
        _ => "Coq",
    };
}
