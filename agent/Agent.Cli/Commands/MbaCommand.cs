using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Grammars.Mba;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using ProofAgent.Synthesis.Mba;

namespace ProofAgent.Cli.Commands;

/// <summary><c>agent mba verify</c> and <c>agent mba bench</c>: MBA identities checked by the truth-table theorem or Z3.</summary>
internal static class MbaCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "JSON Lines file: one {\"lhs\",\"rhs\"} per line.", Required = true };
        var bits = new Option<int>("--bits") { Description = "Word width in bits (1-64).", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per SMT query.", DefaultValueFactory = _ => 30 };
        var verify = new Command("verify", "Decide each identity lhs == rhs on n-bit words (two's complement, C precedence).") { data, bits, timeout };
        verify.SetHandler(async (parse, output, ct) =>
        {
            var width = CheckBits(parse.GetValue(bits));
            var seconds = CheckTimeout(parse.GetValue(timeout));
            var text = CommandRunner.ReadUserFile(parse.GetValue(data)!, "data file");
            var questions = new List<(MbaExpr Lhs, MbaExpr Rhs)>();
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                questions.Add(ReadLine(lines[i], i + 1));
            }

            // One long-lived z3 for all the lines that need a solver.
            await using var solver = SmtSession.Z3(new ProcessRunner());
            var verifier = new MbaVerifier(solver, MbaVerifyOptions.Default with { SmtTimeout = TimeSpan.FromSeconds(seconds) });
            var results = new List<object>();
            int identities = 0, counterexamples = 0, unknown = 0;
            foreach (var (lhs, rhs) in questions)
            {
                var verdict = await verifier.VerifyAsync(lhs, rhs, width, ct);
                switch (verdict)
                {
                    case MbaVerdict.Identity:
                        identities++;
                        results.Add(new { verdict = "identity", method = verdict.Method?.Name() });
                        break;
                    case MbaVerdict.Counterexample ce:
                        counterexamples++;
                        results.Add(new { verdict = "counterexample", method = verdict.Method?.Name(), counterexample = ce.Assignment, lhsValue = ce.Lhs, rhsValue = ce.Rhs });
                        break;
                    case MbaVerdict.Unknown u:
                        unknown++;
                        results.Add(new { verdict = "unknown", reason = u.Reason });
                        break;
                }

                output.Line($"{verdict.Name,-14} {lhs} == {rhs}");
            }

            if (output.Json)
            {
                output.WriteJson(new { results, identity = identities, counterexample = counterexamples, unknown });
            }

            output.Line($"{identities} identities, {counterexamples} counterexamples, {unknown} unknown at {width} bits");
            return unknown > 0 ? ExitCodes.NotProved : ExitCodes.Success;
        });

        var count = new Option<int>("--count") { Description = "Identities generated per width and confirmed by the truth-table theorem.", DefaultValueFactory = _ => 1000 };
        var z3Count = new Option<int>("--z3-count") { Description = "How many of them the solver confirms, lemma-assisted (one long-lived process).", DefaultValueFactory = _ => 1000 };
        var directCount = new Option<int>("--direct-count") { Description = "How many of them the solver is asked whole (no lemmas), for comparison.", DefaultValueFactory = _ => 20 };
        var refuteCount = new Option<int>("--refute-count") { Description = "Non-identities (mutated identities) to refute per width; every counterexample is re-evaluated.", DefaultValueFactory = _ => 200 };
        var solverName = new Option<string>("--solver") { Description = "z3 or cvc5.", DefaultValueFactory = _ => "z3" };
        var tactic = new Option<string?>("--tactic") { Description = "z3 only: the command asking each question, e.g. \"(check-sat-using (then simplify solve-eqs bit-blast sat))\"." };
        var benchTimeout = new Option<double>("--timeout") { Description = "Seconds per solver query.", DefaultValueFactory = _ => 10 };
        var bench = new Command("bench", "Identities verified per second at 8 and 16 bits, in one run: truth-table theorem, the solver lemma-assisted, the solver asked whole; and non-identities refuted.")
        {
            count, z3Count, directCount, refuteCount, solverName, tactic, benchTimeout,
        };
        bench.SetHandler(async (parse, output, ct) =>
        {
            var n = parse.GetValue(count);
            var nz = parse.GetValue(z3Count);
            var nd = parse.GetValue(directCount);
            var nr = parse.GetValue(refuteCount);
            var seconds = parse.GetValue(benchTimeout);
            var which = parse.GetValue(solverName)!;
            if (n < 1 || nz < 0 || nd < 0 || nr < 0 || seconds is not (> 0 and <= 600) || which is not ("z3" or "cvc5"))
            {
                throw new UsageException("--count must be positive, --z3-count, --direct-count and --refute-count not negative, --timeout 0-600 s and --solver z3 or cvc5");
            }

            var session = SmtSessionOptions.Default.WithCheckSatCommand(parse.GetValue(tactic));
            await using var solver = which == "z3" ? SmtSession.Z3(new ProcessRunner(), session: session) : SmtSession.Cvc5(new ProcessRunner(), session: session);
            var version = await solver.ProbeAsync(ct) switch
            {
                ProofAgent.Provers.ProverAvailability.Available a => $"{a.Identity.Name} {a.Identity.Version}",
                ProofAgent.Provers.ProverAvailability.Missing m => throw new UsageException($"{m.Prover} is not available: {m.Reason}; {m.InstallHint}"),
                _ => which,
            };
            var smtOptions = MbaVerifyOptions.Default with { SmtTimeout = TimeSpan.FromSeconds(seconds) };
            var rows = new List<object>();
            var wrong = 0;
            foreach (var width in new[] { 8, 16 })
            {
                var identities = new MbaGenerator(MbaGeneratorOptions.Default.WithBits(width).WithDepth(2).WithSeed(width)).Generate(Math.Max(n, Math.Max(nz, Math.Max(nd, nr)))).ToList();
                var table = await RunAsync(new MbaVerifier(null, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.TruthTableOnly)), identities.Take(n).Select(i => (i.Obfuscated, i.Simple)), width, ct);
                var lemmaVerifier = new MbaVerifier(solver, smtOptions.WithStrategy(MbaStrategy.SmtLemmas));
                var lemmas = await RunAsync(lemmaVerifier, identities.Take(nz).Select(i => (i.Obfuscated, i.Simple)), width, ct);
                var (lemmaQueries, provenLemmas) = (lemmaVerifier.SolverQueries, lemmaVerifier.ProvenLemmas);
                var directVerifier = new MbaVerifier(solver, smtOptions.WithStrategy(MbaStrategy.SmtOnly));
                var direct = await RunAsync(directVerifier, identities.Take(nd).Select(i => (i.Obfuscated, i.Simple)), width, ct);

                // Non-identities: each identity's simple side plus a term that is not the zero function.
                var random = new Random(width);
                var mutants = identities.Take(nr).Select(i => (i.Obfuscated, Mutate(i.Simple, random, width))).ToList();
                var tableRefuted = await RunAsync(new MbaVerifier(null, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.TruthTableOnly)), mutants, width, ct);
                var lemmaRefuted = await RunAsync(lemmaVerifier, mutants, width, ct);
                wrong += table.Counterexamples + lemmas.Counterexamples + direct.Counterexamples + tableRefuted.Identities + lemmaRefuted.Identities + (n - table.Identities);
                rows.Add(new
                {
                    bits = width,
                    truthTable = table.Json(),
                    solverLemmas = lemmas.Json(lemmaQueries, provenLemmas),
                    solverDirect = direct.Json(directVerifier.SolverQueries, 0),
                    refutation = new { nonIdentities = mutants.Count, truthTable = tableRefuted.Json(), solverLemmas = lemmaRefuted.Json() },
                });
                output.Line($"{width,2} bits: truth table {table.Identities}/{n} in {table.Seconds:0.000} s ({table.PerSecond:0} identities/s); "
                    + $"{which} lemma-assisted {lemmas.Identities}/{nz} in {lemmas.Seconds:0.00} s ({lemmas.PerSecond:0.0}/s, {lemmaQueries} queries, {provenLemmas} lemmas, {lemmas.Unknown} unknown); "
                    + $"{which} whole {direct.Identities}/{nd} in {direct.Seconds:0.0} s ({direct.PerSecond:0.00}/s, {direct.Unknown} unknown)");
                output.Line($"{width,2} bits: {mutants.Count} non-identities refuted by the truth table {tableRefuted.Counterexamples} ({tableRefuted.Unknown} not linear), by {which} {lemmaRefuted.Counterexamples} (every counterexample re-evaluated), {lemmaRefuted.Unknown} unknown");
            }

            if (output.Json)
            {
                output.WriteJson(new { solver = version, tactic = parse.GetValue(tactic), timeoutSeconds = seconds, solverProcesses = solver.ProcessesStarted, results = rows, wrongVerdicts = wrong });
            }

            output.Line($"{version}: {solver.ProcessesStarted} solver process(es) for the whole run; {wrong} wrong verdicts");
            return wrong > 0 ? ExitCodes.NotProved : ExitCodes.Success;
        });
        return new Command("mba", "Mixed Boolean-Arithmetic identities.") { verify, bench };
    }

    internal static int CheckBits(int bits) => bits is >= 1 and <= 64 ? bits : throw new UsageException($"--bits must be between 1 and 64, got {bits}");

    /// <summary>Seconds per solver query: more than 0 and at most 600 (NaN and infinities are rejected too).</summary>
    private static double CheckTimeout(double seconds) => seconds is > 0 and <= 600 ? seconds : throw new UsageException($"--timeout must be more than 0 and at most 600 seconds, got {seconds}");


    /// <summary>Adds a term that is not the zero function (odd multiple of x &amp; 1, a constant, or -(x | y)), so lhs == rhs' is false.</summary>
    private static MbaExpr Mutate(MbaExpr simple, Random random, int bits)
    {
        var x = new MbaVar("x");
        var odd = new MbaConst((2 * random.Next(0, 1 << Math.Min(bits - 1, 15))) + 1);
        MbaExpr extra = random.Next(3) switch
        {
            0 => new MbaBinary(MbaBinaryOp.Mul, odd, new MbaBinary(MbaBinaryOp.And, x, new MbaConst(1))),
            1 => odd,
            _ => new MbaUnary(MbaUnaryOp.Neg, new MbaBinary(MbaBinaryOp.Or, x, new MbaVar("y"))),
        };
        return new MbaBinary(MbaBinaryOp.Add, simple, extra);
    }

    private static async Task<BenchRun> RunAsync(MbaVerifier verifier, IEnumerable<(MbaExpr Lhs, MbaExpr Rhs)> questions, int bits, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        int total = 0, identities = 0, counterexamples = 0, unknown = 0;
        var slowest = TimeSpan.Zero;
        foreach (var (lhs, rhs) in questions)
        {
            var started = sw.Elapsed;
            switch (await verifier.VerifyAsync(lhs, rhs, bits, ct))
            {
                case MbaVerdict.Identity:
                    identities++;
                    break;
                case MbaVerdict.Counterexample:
                    counterexamples++;
                    break;
                default:
                    unknown++;
                    break;
            }

            total++;
            slowest = sw.Elapsed - started > slowest ? sw.Elapsed - started : slowest;
        }

        return new BenchRun(total, identities, counterexamples, unknown, sw.Elapsed.TotalSeconds, slowest.TotalSeconds);
    }

    private sealed record BenchRun(int Total, int Identities, int Counterexamples, int Unknown, double Seconds, double SlowestSeconds)
    {
        public double PerSecond => Total == 0 || Seconds <= 0 ? 0 : Total / Seconds;

        public object Json(int? queries = null, int? lemmas = null) => new
        {
            questions = Total,
            identities = Identities,
            counterexamples = Counterexamples,
            unknown = Unknown,
            seconds = Math.Round(Seconds, 3),
            perSecond = Math.Round(PerSecond, 2),
            slowestSeconds = Math.Round(SlowestSeconds, 3),
            solverQueries = queries,
            provenLemmas = lemmas,
        };
    }

    private static (MbaExpr, MbaExpr) ReadLine(string line, int number)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new UsageException($"line {number}: not valid JSON: {exception.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException($"line {number}: expected a JSON object with \"lhs\" and \"rhs\"");
        }

        return (Expr(root, "lhs", number), Expr(root, "rhs", number));
    }

    private static MbaExpr Expr(JsonElement root, string field, int number)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new UsageException($"line {number}: missing string field \"{field}\"");
        }

        try
        {
            return MbaParsing.Parse(value.GetString()!);
        }
        catch (MbaSyntaxException exception)
        {
            throw new UsageException($"line {number}, {field}, at {exception.Line}:{exception.Column}: {exception.Reason}");
        }
    }
}
