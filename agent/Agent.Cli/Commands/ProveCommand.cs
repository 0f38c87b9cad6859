using ProofAgent.Agent;
using ProofAgent.Provers.Processes;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent prove FILE</c>: proves the theorems whose proof is a hole and writes the completed file. Exit 0 only when the
/// written file passes the checker (the soundness gate, original statement) in a fresh process.
/// </summary>
internal static class ProveCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A file whose theorem(s) end in Admitted / sorry / oops / an empty Proof." };
        var language = new Option<string?>("--lang") { Description = "coq | lean4 | isabelle (default: from the file extension)." };
        var budget = new Option<double>("--budget-seconds") { Description = "Wall-clock budget for the whole attempt.", DefaultValueFactory = _ => 120 };
        var samples = new Option<int>("--samples") { Description = "Whole proofs sampled from the model.", DefaultValueFactory = _ => 4 };
        var model = new Option<string?>("--model") { Description = "A model from the model registry (none: automation only)." };
        var outFile = new Option<string?>("--out") { Description = "Where to write the completed file (default: FILE.proved.EXT next to FILE); its folder must exist and be writable by mode." };
        var tacticTimeout = new Option<double>("--tactic-timeout") { Description = "Seconds one tactic may take in the search.", DefaultValueFactory = _ => 4 };
        var trace = new Option<bool>("--trace") { Description = "Print every event of the attempt (stderr under --json)." };
        var mode = new Option<string>("--mode") { Description = "pipeline (the HybridProver stages) | agent (the model calls the provers as tools; needs --model).", DefaultValueFactory = _ => "pipeline" };
        var repairs = new Option<int>("--repair-rounds") { Description = "Rounds in which a failed whole proof goes back to the model with the prover's errors.", DefaultValueFactory = _ => 1 };
        var command = new Command("prove", "Prove the theorem(s) of a file whose proof is a hole; write the completed file.")
        {
            file, language, budget, samples, model, mode, repairs, outFile, tacticTimeout, trace, AgentFactory.ModelsFile, AgentFactory.NoSmt, SandboxOption.UnsafeNoSandbox, SandboxOption.TrustRecursion, SandboxOption.TrustModules,
        };

        command.SetHandler(async (parse, output, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var lang = LanguageOptions.ResolveProofLanguage(path, parse.GetValue(language));
            var seconds = parse.Seconds(budget, 86_400);

            var sampleCount = parse.Between(samples, 0, 1024);

            var perTactic = parse.Seconds(tacticTimeout, 600, min: 1);

            var proofMode = parse.GetValue(mode) switch
            {
                "pipeline" => ProofMode.Pipeline,
                "agent" => ProofMode.Agent,
                var other => throw new UsageException($"--mode must be pipeline or agent, got '{other}'"),
            };
            if (proofMode == ProofMode.Agent && parse.GetValue(model) is null)
            {
                throw new UsageException("--mode agent needs --model: the model drives the provers as tools");
            }

            var repairRounds = parse.Between(repairs, 0, 16);

            var source = CommandRunner.ReadUserFile(path, "proof file");
            var destination = CheckDestination(parse.GetValue(outFile) ?? DefaultOut(path), explicitly: parse.GetValue(outFile) is not null);
            await using var agent = await AgentFactory.CreateAsync(parse, output, parse.GetValue(model), cancellationToken);
            var runner = agent.Runner;
            var request = new ProofRequest(lang, source)
                .WithFileName(Path.GetFileName(path))
                .WithBudget(ProofBudget.Default
                    .WithWallClock(TimeSpan.FromSeconds(seconds))
                    .WithSamples(sampleCount)
                    .WithRepairRounds(repairRounds)
                    .WithTacticTimeout(TimeSpan.FromSeconds(perTactic)))
                .WithMode(proofMode);
            var showTrace = parse.GetValue(trace);
            var progress = new SyncProgress(e =>
            {
                if (showTrace)
                {
                    output.Error.WriteLine(Describe(e));
                }
            });
            var outcome = await runner.ProveAsync(request, progress, cancellationToken);
            string? writeError = null;
            if (outcome.IsProved && outcome.Proof is { } proof)
            {
                try
                {
                    await File.WriteAllTextAsync(destination, proof, cancellationToken);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // The proof cost the whole budget: never lose it because the file system changed meanwhile.
                    writeError = $"could not write '{destination}': {exception.Message}";
                }
            }

            Report(output, path, outcome.IsProved && writeError is null ? destination : null, outcome, writeError);
            return writeError is not null ? ExitCodes.InternalError : outcome.IsProved ? ExitCodes.Success : ExitCodes.NotProved;
        });
        return command;
    }

    /// <summary>
    /// Fails before the (long) attempt when the completed file could not, or should not, be written where asked: a
    /// folder that does not exist, or one whose mode grants nobody write access (a dataset marked read-only; a root
    /// process could write there, but must not).
    /// </summary>
    internal static string CheckDestination(string destination, bool explicitly)
    {
        if (Directory.Exists(destination))
        {
            throw new UsageException($"--out '{destination}' is a directory; name the file to write");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"cannot write '{destination}': the directory '{directory}' does not exist");
        }

        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(directory) & anyWrite) == 0)
        {
            throw new UsageException($"cannot write '{destination}': the directory '{directory}' is read-only (no write permission for anyone)"
                + (explicitly ? string.Empty : "; pass --out to write the completed file elsewhere"));
        }

        return destination;
    }

    internal static string DefaultOut(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(path) + ".proved" + Path.GetExtension(path));
    }

    internal static string Describe(ProofEvent e) => e switch
    {
        ProofEvent.StageStarted s => $"[{s.AtMs,7} ms] {s.Stage} {s.Theorem}: start",
        ProofEvent.StageFinished s => $"[{s.AtMs,7} ms] {s.Stage} {s.Theorem}: {(s.Succeeded ? "succeeded" : "failed")} ({s.ProverCalls} prover calls, {s.ElapsedMs} ms)",
        ProofEvent.CandidateChecked c => $"[{c.AtMs,7} ms] {c.Stage} {c.Theorem}: {c.Verdict} {OneLine(c.Candidate)}{(c.Reason is null ? "" : " — " + c.Reason)}",
        ProofEvent.TacticApplied t => $"[{t.AtMs,7} ms] {t.Stage} {t.Theorem}: {OneLine(t.Tactic)} ({t.GoalsBefore} → {t.GoalsAfter} goals, {t.ElapsedMs} ms)",
        ProofEvent.GoalRefuted r => $"[{r.AtMs,7} ms] {r.Stage} {r.Theorem}: refuted by {r.Solver}: {string.Join(", ", r.Model.Select(p => $"{p.Key} = {p.Value}"))}",
        ProofEvent.ToolCalled t => $"[{t.AtMs,7} ms] tool {t.Tool}({string.Join(", ", t.Arguments.Select(a => $"{a.Key}: {OneLine(a.Value)}"))}) → {OneLine(t.Result)} ({t.ElapsedMs} ms)",
        ProofEvent.Note n => $"[{n.AtMs,7} ms] {n.Message}",
        _ => e.ToString(),
    };

    private static string OneLine(string text)
    {
        var line = string.Join(" ", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return line.Length > 160 ? line[..160] + "…" : line;
    }

    private static void Report(CliOutput output, string path, string? written, ProofOutcome outcome, string? writeError)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                file = path,
                output = written,
                writeError,
                verdict = outcome.Verdict.Name,
                reason = outcome.IsProved ? null : outcome.Verdict.Summary,
                proof = outcome.IsProved ? outcome.Proof : null,
                theorems = outcome.Theorems.Select(t => new { name = t.Name, found = t.Found, foundBy = t.FoundBy?.ToString(), script = t.Script, counterexample = t.Counterexample }),
                stages = outcome.Stages.Select(s => new
                {
                    stage = s.Stage.ToString(),
                    theorem = s.Theorem,
                    succeeded = s.Succeeded,
                    proverCalls = s.ProverCalls,
                    elapsedMs = (long)s.Elapsed.TotalMilliseconds,
                    detail = s.Detail,
                }),
                proverCalls = outcome.ProverCalls,
                samples = outcome.Samples,
                elapsedMs = (long)outcome.Elapsed.TotalMilliseconds,
            });
        }

        var color = outcome.IsProved ? "green" : "red";
        output.Human.MarkupLineInterpolated($"[bold {color}]{outcome.Verdict.Name}[/] {path} ({outcome.ProverCalls} prover calls, {outcome.Elapsed.TotalSeconds:0.0} s)");
        if (!outcome.IsProved)
        {
            output.Human.WriteLine("  " + outcome.Verdict.Summary);
        }

        foreach (var theorem in outcome.Theorems)
        {
            var how = theorem.Found ? $"found by {theorem.FoundBy}" : theorem.Counterexample is { } cex ? $"refuted: {cex}" : "not found";
            output.Human.WriteLine($"  {theorem.Name}: {how}");
        }

        if (written is not null)
        {
            output.Human.WriteLine($"  written to {written}");
        }

        if (writeError is not null)
        {
            output.Error.WriteLine($"error: {writeError}; the completed file is {(output.Json ? "the JSON's \"proof\"" : "printed below")}");
            if (!output.Json)
            {
                output.Human.WriteLine(outcome.Proof ?? "");
            }
        }
    }

    internal sealed class SyncProgress(Action<ProofEvent> action) : IProgress<ProofEvent>
    {
        public void Report(ProofEvent value) => action(value);
    }
}
