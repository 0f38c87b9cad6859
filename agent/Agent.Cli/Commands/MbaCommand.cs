using System.Diagnostics;
using ProofAgent.Mba;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent mba verify</c> and <c>agent mba bench</c>: MBA identities decided by evaluation, normal forms or an SMT solver.</summary>
internal static class MbaCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "JSON Lines ({\"lhs\",\"rhs\"} per line) or MBA-Solver's comma-separated lines (lhs,rhs; # comments).", Required = true };
        var bits = new Option<int>("--bits") { Description = "Word width in bits (1-64).", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per SMT query (then the solver is stopped and the answer is unknown).", DefaultValueFactory = _ => 30 };
        var strategy = new Option<string>("--strategy")
        {
            Description = $"How to decide: {string.Join(", ", MbaStrategyNames.ByName.Keys)} (auto: truth table for linear MBA, normal form, exhaustive evaluation when variables × bits ≤ 24, then a random search and the solver).",
            DefaultValueFactory = _ => "auto",
        };
        var verify = new Command("verify", "Decide each identity lhs == rhs on n-bit words (two's complement, C precedence), in input order.")
        {
            data, bits, timeout, strategy, SandboxOption.UnsafeNoSandbox,
        };
        verify.SetHandler(async (parse, output, ct) =>
        {
            var width = CheckBits(parse.GetValue(bits));
            var seconds = CheckTimeout(parse.GetValue(timeout));
            if (!MbaStrategyNames.ByName.TryGetValue(parse.GetValue(strategy)!, out var how))
            {
                throw new UsageException($"--strategy must be one of {string.Join(", ", MbaStrategyNames.ByName.Keys)}, got '{parse.GetValue(strategy)}'");
            }

            IReadOnlyList<MbaQuestion> questions;
            try
            {
                questions = MbaDataset.Parse(CommandRunner.ReadUserFile(parse.GetValue(data)!, "data file"));
            }
            catch (MbaDatasetException exception)
            {
                throw new UsageException(exception.Message);
            }

            // One long-lived solver for the lines that need one.
            await using var provers = Provers(parse, output);
            await using var solver = SolverSessions.Open(provers, "z3");
            var verifier = new MbaVerifier(solver, MbaVerifyOptions.Default.WithSmtTimeout(TimeSpan.FromSeconds(seconds)).WithStrategy(how));
            var clock = Stopwatch.StartNew();
            var results = new List<object>();
            int identities = 0, counterexamples = 0, unknown = 0;
            await foreach (var answer in verifier.VerifyAllAsync(questions, width, ct))
            {
                var ms = Math.Round(answer.Elapsed.TotalMilliseconds, 1);
                var line = answer.Question.Line;
                switch (answer.Verdict)
                {
                    case MbaVerdict.Identity identity:
                        identities++;
                        results.Add(new { line, verdict = "identity", method = identity.By.Name(), ms });
                        break;
                    case MbaVerdict.Counterexample ce:
                        counterexamples++;
                        results.Add(new { line, verdict = "counterexample", method = ce.By.Name(), counterexample = ce.Assignment, lhsValue = ce.Lhs, rhsValue = ce.Rhs, ms });
                        break;
                    case MbaVerdict.Unknown u:
                        unknown++;
                        results.Add(new { line, verdict = "unknown", reason = u.Reason, ms });
                        break;
                }

                output.Line($"line {line}: {answer.Verdict.Name,-14} {Abbreviated($"{answer.Question.Lhs} == {answer.Question.Rhs}")}");
            }

            if (output.Json)
            {
                output.WriteJson(new { bits = width, results, identity = identities, counterexample = counterexamples, unknown, seconds = Math.Round(clock.Elapsed.TotalSeconds, 3) });
            }

            output.Line($"{identities} identities, {counterexamples} counterexamples, {unknown} unknown at {width} bits ({clock.Elapsed.TotalSeconds:0.00} s)");
            return unknown > 0 ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return new Command("mba", "Mixed Boolean-Arithmetic identities.") { verify, Bench() };
    }

    private static int CheckBits(int bits) => bits is >= 1 and <= 64 ? bits : throw new UsageException($"--bits must be between 1 and 64, got {bits}");

    /// <summary>The one place this command builds its provers: the sandboxed catalog of <see cref="SandboxOption"/>.</summary>
    private static ProverHost Provers(ParseResult parse, CliOutput output) =>
        SandboxOption.CreateHost(parse, output, ProverSettings.FromEnvironment());

    /// <summary>A question as people read it: generated identities run to megabytes, the JSON has the line number.</summary>
    private static string Abbreviated(string text) => text.Length <= 160 ? text : string.Concat(text.AsSpan(0, 150), " ...");

    /// <summary>Seconds per solver query: more than 0 and at most 600 (NaN and infinities are rejected too).</summary>
    private static double CheckTimeout(double seconds) => seconds is > 0 and <= 600 ? seconds : throw new UsageException($"--timeout must be more than 0 and at most 600 seconds, got {seconds}");

    private static Command Bench()
    {
        var count = new Option<int>("--count") { Description = "Identities generated per width and confirmed by the truth-table theorem.", DefaultValueFactory = _ => 1000 };
        var z3Count = new Option<int>("--z3-count") { Description = "How many of them the solver confirms, lemma-assisted (one long-lived process).", DefaultValueFactory = _ => 1000 };
        var directCount = new Option<int>("--direct-count") { Description = "How many of them the solver is asked whole (no lemmas), for comparison.", DefaultValueFactory = _ => 20 };
        var refuteCount = new Option<int>("--refute-count") { Description = "Non-identities (mutated identities) to refute per width; every counterexample is re-evaluated.", DefaultValueFactory = _ => 200 };
        var solverName = new Option<string>("--solver") { Description = "z3 or cvc5.", DefaultValueFactory = _ => "z3" };
        var tactic = new Option<string?>("--tactic") { Description = "z3 only: the command asking each question, e.g. \"(check-sat-using (then simplify solve-eqs bit-blast sat))\"." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per solver query.", DefaultValueFactory = _ => 10 };
        var bench = new Command("bench", "Identities verified per second at 8 and 16 bits, in one run: truth-table theorem, the solver lemma-assisted, the solver asked whole; and non-identities refuted.")
        {
            count, z3Count, directCount, refuteCount, solverName, tactic, timeout, SandboxOption.UnsafeNoSandbox,
        };
        bench.SetHandler(async (parse, output, ct) =>
        {
            var seconds = parse.GetValue(timeout);
            var options = new MbaBenchmarkOptions
            {
                Count = parse.GetValue(count),
                SolverCount = parse.GetValue(z3Count),
                DirectCount = parse.GetValue(directCount),
                RefuteCount = parse.GetValue(refuteCount),
                Timeout = seconds is > 0 and <= 600 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero,
            };
            var which = parse.GetValue(solverName)!;
            if ((options.Problem() ?? (which is "z3" or "cvc5" ? null : $"--solver must be z3 or cvc5, got '{which}'")) is { } problem)
            {
                throw new UsageException(problem);
            }

            await using var provers = Provers(parse, output);
            await using var solver = SolverSessions.Open(provers, which, SmtSessionOptions.Default.WithCheckSatCommand(parse.GetValue(tactic)));
            var version = await solver.ProbeAsync(ct) switch
            {
                ProverAvailability.Available a => $"{a.Identity.Name} {a.Identity.Version}",
                ProverAvailability.Missing m => throw new UsageException($"{m.Prover} is not available: {m.Reason}; {m.InstallHint}"),
                _ => which,
            };
            var rows = await MbaBenchmark.RunAsync(options, solver, ct);
            foreach (var row in rows)
            {
                output.Line($"{row.Bits,2} bits: truth table {row.TruthTable.Identities}/{row.TruthTable.Questions} in {row.TruthTable.Elapsed.TotalSeconds:0.000} s ({row.TruthTable.PerSecond:0} identities/s); "
                    + $"{which} lemma-assisted {row.SolverLemmas.Identities}/{row.SolverLemmas.Questions} in {row.SolverLemmas.Elapsed.TotalSeconds:0.00} s ({row.SolverLemmas.PerSecond:0.0}/s, {row.LemmaQueries} queries, {row.ProvenLemmas} lemmas, {row.SolverLemmas.Unknown} unknown); "
                    + $"{which} whole {row.SolverDirect.Identities}/{row.SolverDirect.Questions} in {row.SolverDirect.Elapsed.TotalSeconds:0.0} s ({row.SolverDirect.PerSecond:0.00}/s, {row.SolverDirect.Unknown} unknown)");
                output.Line($"{row.Bits,2} bits: {row.NonIdentities} non-identities refuted by the truth table {row.TruthTableRefuted.Counterexamples} ({row.TruthTableRefuted.Unknown} not linear), by {which} {row.SolverRefuted.Counterexamples} (every counterexample re-evaluated), {row.SolverRefuted.Unknown} unknown");
            }

            var wrong = rows.Sum(r => r.WrongVerdicts);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    solver = version,
                    tactic = parse.GetValue(tactic),
                    timeoutSeconds = seconds,
                    solverProcesses = solver.ProcessesStarted,
                    results = rows.Select(r => new
                    {
                        bits = r.Bits,
                        truthTable = Json(r.TruthTable),
                        solverLemmas = Json(r.SolverLemmas, r.LemmaQueries, r.ProvenLemmas),
                        solverDirect = Json(r.SolverDirect, r.DirectQueries, 0),
                        refutation = new { nonIdentities = r.NonIdentities, truthTable = Json(r.TruthTableRefuted), solverLemmas = Json(r.SolverRefuted) },
                    }),
                    wrongVerdicts = wrong,
                });
            }

            output.Line($"{version}: {solver.ProcessesStarted} solver process(es) for the whole run; {wrong} wrong verdicts");
            return wrong > 0 ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return bench;
    }

    private static object Json(MbaBenchmarkRun run, int? queries = null, int? lemmas = null) => new
    {
        questions = run.Questions,
        identities = run.Identities,
        counterexamples = run.Counterexamples,
        unknown = run.Unknown,
        seconds = Math.Round(run.Elapsed.TotalSeconds, 3),
        perSecond = Math.Round(run.PerSecond, 2),
        slowestSeconds = Math.Round(run.Slowest.TotalSeconds, 3),
        solverQueries = queries,
        provenLemmas = lemmas,
    };
}
