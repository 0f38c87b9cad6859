using System.Globalization;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent smt-triage --data minif2f_lean4.jsonl [--split test] [--timeout S] [--jobs N]</c>: translate each statement to SMT and let the solver settle it.</summary>
internal static class SmtTriageCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A .jsonl file with name, split and formal_statement (Lean 4) per line.", Required = true };
        var language = new Option<string>("--lang") { Description = "lean4 (default), isabelle, or coq (then --data is a .v file or a folder).", DefaultValueFactory = _ => "lean4" };
        var split = new Option<string?>("--split") { Description = "Only this split (test or valid)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per problem for the solver.", DefaultValueFactory = _ => 10 };
        var jobs = new Option<int>("--jobs") { Description = "Problems solved in parallel.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var solverName = new Option<string>("--solver") { Description = "z3 | cvc5 | portfolio.", DefaultValueFactory = _ => "z3" };
        var command = new Command("smt-triage", "Translate theorem statements to SMT-LIB with the prover's semantics and report which ones the solver proves or refutes.")
        {
            data, language, split, timeout, jobs, solverName, SandboxOption.UnsafeNoSandbox,
        };
        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            var seconds = parse.Seconds(timeout, 3600);

            var parallelism = parse.Between(jobs, 1, 64);

            var name = parse.GetValue(solverName)!;
            if (name is not ("z3" or "cvc5" or "portfolio"))
            {
                throw new UsageException($"--solver must be z3, cvc5 or portfolio, got '{name}'");
            }

            var lang = LanguageOptions.ParseStatementLanguage(parse.GetValue(language)!);
            var wantedSplit = parse.GetValue(split);
            if (wantedSplit is not null and not ("test" or "valid"))
            {
                throw new UsageException($"--split must be test or valid, got '{wantedSplit}'");
            }

            var path = parse.GetValue(data)!;
            // Coq numerals take the type of the scope the file opened (Open Scope R_scope): read it from the file.
            List<(string Name, string? Split, string? Text, SmtBridgeOptions? Options)> problems = lang != ProofLanguage.Coq
                ? [.. StatementDatasets.LoadJsonl(path).Where(r => wantedSplit is null || r.Split == wantedSplit).Select(r => (r.Name, r.Split, (string?)r.Statement, (SmtBridgeOptions?)null))]
                : [.. StatementDatasets.LoadCoqFiles(path).Select(f => (f.Name, (string?)null, f.Statement, (SmtBridgeOptions?)SmtBridgeOptions.ForCoqSource(f.Source, f.Statement is { } st ? f.Source.IndexOf(st, StringComparison.Ordinal) : null)))];

            // The solvers read statements a user may have been sent: they run in the host's sandbox like every prover.
            await using var host = SandboxOption.CreateHost(parse, output, ProverSettings.FromEnvironment());
            var solver = host.Solver(name);
            var checker = host.Solver(name == "cvc5" ? "z3" : "cvc5");
            var triage = new StatementTriage(solver, checker);
            var limit = TimeSpan.FromSeconds(seconds);
            var outcomes = new TriageOutcome[problems.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, problems.Count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var (problemName, problemSplit, text, options) = problems[i];
                    outcomes[i] = text is null
                        ? new TriageOutcome(problemName, problemSplit, false, "no Theorem/Lemma sentence found", "untranslated", null, null, null, 0)
                        : await triage.TriageAsync(problemName, problemSplit, lang, text, limit, ct, options);
                    output.Error.WriteLine($"{outcomes[i].Answer,-14} {problemName}{(outcomes[i].Reason is { } r ? "  " + r : string.Empty)}");
                });

            var totals = new
            {
                total = outcomes.Length,
                translated = outcomes.Count(o => o.Translated),
                valid = outcomes.Count(o => o.Answer == "valid"),
                counterexample = outcomes.Count(o => o.Answer == "counterexample"),
                unknown = outcomes.Count(o => o.Answer == "unknown"),
            };
            if (output.Json)
            {
                output.WriteJson(new
                {
                    totals.total,
                    totals.translated,
                    totals.valid,
                    totals.counterexample,
                    totals.unknown,
                    solver = solver.Name,
                    timeoutSeconds = seconds,
                    problems = outcomes.Select(o => new
                    {
                        name = o.Name,
                        split = o.Split,
                        translated = o.Translated,
                        reason = o.Reason,
                        answer = o.Answer,
                        model = o.Model,
                        modelChecked = o.ModelChecked,
                        elapsedMs = o.ElapsedMs,
                    }),
                });
            }

            output.Human.WriteLine($"total {totals.total}, translated {totals.translated}, valid {totals.valid}, counterexample {totals.counterexample}, unknown {totals.unknown} ({solver.Name}, {seconds.ToString(CultureInfo.InvariantCulture)} s each)");
            return ExitCodes.Success;
        });
        return command;
    }
}
