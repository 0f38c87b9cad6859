using ProofAgent.Hosting.Reporting;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent check FILE</c>: check a proof file with the real prover, through the soundness gate.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("FILE") { Description = "The proof file (.v, .lean, .thy, .fst, .smt2).", Arity = ArgumentArity.ZeroOrOne };
        var version = new Option<bool>("--version") { Description = "Print the provers found here, their versions, and the known kernel soundness bugs of the installed Coq (what the gate rejects unless trusted)." };
        var language = new Option<string?>("--lang") { Description = "coq | lean4 | isabelle | fstar | smt (default: from the file extension)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds the prover may run.", DefaultValueFactory = _ => 60 };
        var command = new Command("check", "Check a proof file with the real prover and the soundness gate.")
        {
            file, language, StatementOption.Statement, timeout, version, SandboxOption.UnsafeNoSandbox, SandboxOption.TrustRecursion, SandboxOption.TrustModules,
        };

        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            if (parse.GetValue(version))
            {
                await using var versions = SandboxOption.CreateHost(parse, output, ProverSettings.FromEnvironment());
                await ProverVersions.ReportAsync(output, versions.Checkers, cancellationToken);
                return ExitCodes.Success;
            }

            var path = parse.GetValue(file) ?? throw new UsageException("FILE is required (or --version)");
            var lang = LanguageOptions.ResolveProofLanguage(path, parse.GetValue(language));
            var seconds = parse.Seconds(timeout, 86_400);

            var source = CommandRunner.ReadUserFile(path, "proof file");
            var (_, expected) = StatementOption.Read(parse);
            if (expected is not null && lang == ProofLanguage.Smt)
            {
                throw new UsageException("--statement is not supported for SMT-LIB: a script is its own statement");
            }

            var settings = ProverSettings.FromEnvironment();

            await using var host = SandboxOption.CreateHost(parse, output, settings);
            var task = new ProofTask(lang, source)
                .WithFileName(Path.GetFileName(path))
                .WithExpectedStatement(expected)
                .WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(seconds)));
            var result = await host.Checker(lang).CheckAsync(task, cancellationToken);
            Report(output, path, lang, result);
            return result.Verdict.IsProved ? ExitCodes.Success : ExitCodes.NotProved;
        });
        return command;
    }

    private static void Report(CliOutput output, string path, ProofLanguage language, CheckResult result)
    {
        if (output.Json)
        {
            output.WriteJson(CheckReport.From(path, language, result));
        }

        var color = result.Verdict switch
        {
            Verdict.Proved => "green",
            Verdict.Incomplete or Verdict.Timeout or Verdict.Unavailable => "yellow",
            _ => "red",
        };
        output.Human.MarkupLineInterpolated($"[bold {color}]{result.Verdict.Name}[/] {path} ({language.Id()}, {result.Prover}, {result.Usage.Elapsed.TotalSeconds:0.00} s)");
        if (!result.Verdict.IsProved)
        {
            output.Human.WriteLine("  " + result.Verdict.Summary);
        }

        foreach (var theorem in result.Theorems)
        {
            var axioms = theorem.Axioms.Count == 0 ? "no axioms" : "axioms: " + string.Join(", ", theorem.Axioms);
            output.Human.WriteLine($"  {theorem.Verdict.Name,-10} {theorem.Name} ({axioms})" + (theorem.Statement is { } statement ? $": {statement}" : string.Empty));
        }

        if (result.SmtResults is { } answers)
        {
            output.Human.WriteLine("  check-sat: " + string.Join(", ", answers));
        }

        foreach (var diagnostic in result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Information))
        {
            output.Human.WriteLine($"  {path}:{diagnostic}");
        }
    }
}
