using ProofAgent.GenerativeLogic;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent gl run [DEFS] [--out DIR] [--jobs N] [--no-coq]</c>: Generative Logic from MPL definitions to proved theorems,
/// replayed by the independent checker and by coqc. <c>agent gl check DIR</c>: replays a written proof graph.
/// </summary>
internal static class GlCommand
{
    public static Command Create()
    {
        var command = new Command("gl", "Generative Logic: derive theorems from MPL axiomatic definitions (Peano by default).");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Check());
        command.Subcommands.Add(Parity());
        return command;
    }

    private static Command Parity()
    {
        var list = new Argument<string>("GL_LIST") { Description = "GL's global_theorem_list.txt (e.g. ../shared/anchors/gl/v0.7-6e5b9a4/processed_proof_graph_sample/global_theorem_list.txt)." };
        var glAnchor = new Option<string>("--gl-anchor") { Description = "GL's anchor name in the list.", DefaultValueFactory = _ => "AnchorPeano" };
        var defs = new Option<string?>("--defs") { Description = "Our definitions (default: the shipped Peano definitions)." };
        var command = new Command("parity", "Run on our definitions and compare with GL's published theorem list (same statement / derivable each way).") { list, glAnchor, defs };
        command.SetHandler(async (parse, cli, ct) =>
        {
            var listPath = parse.GetValue(list)!;
            var text = CommandRunner.ReadUserFile(listPath, "GL theorem list");
            Theory theory;
            IReadOnlyList<Statement> gl;
            try
            {
                theory = Theory.Load(parse.GetValue(defs) ?? DefaultDefinitions());
                gl = ParityReport.ReadGlList(text, parse.GetValue(glAnchor)!);
            }
            catch (GlInputException e)
            {
                throw new UsageException(e.Message);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await Task.Run(() => new GlEngine(GlOptions.Default).Run(theory, ct), ct);
            var runMs = clock.ElapsedMilliseconds;
            var peakMb = Environment.WorkingSet / (1024 * 1024);
            var report = ParityReport.Compare(theory, result.Proved, gl, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { glTheorems = report.GlTheorems, ourTheorems = report.OurTheorems, runMs, workingSetMb = peakMb });
            }

            cli.Line($"GL: {report.GlTheorems.Count} theorems; same statement in ours: {report.GlTheorems.Count(r => r.SameStatement)}; derivable from ours: {report.GlTheorems.Count(r => r.Derivable)}");
            cli.Line($"ours: {report.OurTheorems.Count} theorems; same statement in GL: {report.OurTheorems.Count(r => r.SameStatement)}; derivable from GL's: {report.OurTheorems.Count(r => r.Derivable)}");
            cli.Line($"our run: {runMs} ms, working set {peakMb} MiB");
            foreach (var r in report.GlTheorems.Where(r => !r.Derivable))
            {
                cli.Line("  only GL: " + r.Statement);
            }

            foreach (var r in report.OurTheorems.Where(r => !r.Derivable))
            {
                cli.Line("  only ours: " + r.Statement);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The one place this command builds its provers: the sandboxed host of <see cref="SandboxOption"/>.</summary>
    private static ProverHost Provers(ParseResult parse, CliOutput cli) =>
        SandboxOption.CreateHost(parse, cli, ProverSettings.FromEnvironment());

    private static string DefaultDefinitions() => Path.Combine(AppContext.BaseDirectory, "Definitions", "peano");

    private static Command Run()
    {
        var defs = new Argument<string?>("DEFS") { Description = "A definition file or folder (*.mpl, or GL's definitions/ + config/ layout). Default: the shipped Peano definitions.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--out") { Description = "Folder for proofs.json, GlTheorems.v and html/." };
        var jobs = new Option<int>("--jobs") { Description = "Parallel workers (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var anchor = new Option<string?>("--anchor") { Description = "The definition theorems are stated under (default: the last one)." };
        var noCoq = new Option<bool>("--no-coq") { Description = "Skip the coqc check of the exported proofs." };
        var command = new Command("run", "Generate conjectures, prove, check and export.") { defs, output, jobs, anchor, noCoq, SandboxOption.UnsafeNoSandbox };
        command.SetHandler(async (parse, cli, ct) =>
        {
            var path = parse.GetValue(defs) ?? DefaultDefinitions();
            var n = parse.Between(jobs, 1, 256);

            Theory theory;
            try
            {
                theory = Theory.Load(path, parse.GetValue(anchor));
            }
            catch (GlInputException e)
            {
                throw new UsageException(e.Message);
            }

            await using var provers = parse.GetValue(noCoq) ? null : Provers(parse, cli);
            var runner = new GlRunner(provers?.Checker(ProofLanguage.Coq));
            var summary = await runner.RunAsync(theory, GlOptions.Default.WithJobs(n), parse.GetValue(output), ct);
            if (cli.Json)
            {
                cli.WriteJson(new
                {
                    conjectures = summary.Conjectures,
                    proved = summary.Proved,
                    theorems = summary.Theorems.Select(t => new { name = t.Name, statement = t.Statement, @checked = t.Checked, coqChecked = t.CoqChecked, redundant = t.Redundant }),
                    elapsedMs = summary.ElapsedMs,
                    phasesMs = summary.PhaseMilliseconds,
                    unproved = summary.Unproved,
                    coqError = summary.CoqError,
                });
            }

            cli.Line($"{summary.Conjectures} conjectures, {summary.Proved} proved ({summary.Theorems.Count(t => !t.Redundant)} kept), {summary.Unproved} unproved, {summary.ElapsedMs} ms");
            foreach (var t in summary.Theorems)
            {
                cli.Line($"  {t.Name} {(t.Redundant ? "redundant" : "kept     ")} checker:{(t.Checked ? "ok" : "FAIL")} coq:{(t.CoqChecked is null ? "-" : t.CoqChecked.Value ? "ok" : "FAIL")} {t.Statement}");
            }

            if (summary.CoqError is not null)
            {
                cli.Line("coq: " + summary.CoqError);
            }

            return summary.Theorems.All(t => t.Checked && t.CoqChecked != false) ? ExitCodes.Success : ExitCodes.NotProved;
        });
        return command;
    }

    private static Command Check()
    {
        var dir = new Argument<string>("DIR") { Description = "A folder written by `agent gl run --out DIR`." };
        var noCoq = new Option<bool>("--no-coq") { Description = "Skip coqc." };
        var command = new Command("check", "Replay a proof graph with the independent checker (and coqc).") { dir, noCoq, SandboxOption.UnsafeNoSandbox };
        command.SetHandler(async (parse, cli, ct) =>
        {
            GlCheckSummary summary;
            await using var provers = parse.GetValue(noCoq) ? null : Provers(parse, cli);
            try
            {
                summary = await new GlRunner(provers?.Checker(ProofLanguage.Coq)).CheckAsync(parse.GetValue(dir)!, ct);
            }
            catch (GlInputException e)
            {
                throw new UsageException(e.Message);
            }

            if (cli.Json)
            {
                cli.WriteJson(new { theorems = summary.Theorems, valid = summary.Valid, coqChecked = summary.CoqChecked, coqError = summary.CoqError, failures = summary.Outcomes.Where(o => !o.Valid).Select(o => new { theorem = o.Theorem, error = o.Error }) });
            }

            cli.Line($"{summary.Valid}/{summary.Theorems} theorems replayed; coq: {(summary.CoqChecked is null ? "-" : summary.CoqChecked.Value ? "ok" : "FAIL " + summary.CoqError)}");
            foreach (var o in summary.Outcomes.Where(o => !o.Valid))
            {
                cli.Line($"  {o.Theorem}: {o.Error}");
            }

            return summary.Valid == summary.Theorems && summary.CoqChecked != false ? ExitCodes.Success : ExitCodes.NotProved;
        });
        return command;
    }
}
