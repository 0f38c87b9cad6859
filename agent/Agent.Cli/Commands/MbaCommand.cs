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

            var verifier = new MbaVerifier(SmtSolverFactory.Create(SmtOptions.Default, new ProcessRunner()), MbaVerifyOptions.Default with { SmtTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) });
            var results = new List<object>();
            int identities = 0, counterexamples = 0, unknown = 0;
            foreach (var (lhs, rhs) in questions)
            {
                var verdict = await verifier.VerifyAsync(lhs, rhs, width, ct);
                switch (verdict)
                {
                    case MbaVerdict.Identity:
                        identities++;
                        results.Add(new { verdict = "identity", method = Method(verdict.Method) });
                        break;
                    case MbaVerdict.Counterexample ce:
                        counterexamples++;
                        results.Add(new { verdict = "counterexample", method = Method(verdict.Method), counterexample = ce.Assignment, lhsValue = ce.Lhs, rhsValue = ce.Rhs });
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

        var count = new Option<int>("--count") { Description = "Identities generated per width.", DefaultValueFactory = _ => 1000 };
        var z3Count = new Option<int>("--z3-count") { Description = "How many of them Z3 checks (one process per query).", DefaultValueFactory = _ => 100 };
        var bench = new Command("bench", "Identities verified per second: truth-table theorem versus Z3, at 8 and 16 bits, in one run.") { count, z3Count };
        bench.SetHandler(async (parse, output, ct) =>
        {
            var n = parse.GetValue(count);
            var nz = Math.Min(n, parse.GetValue(z3Count));
            if (n < 1 || nz < 1)
            {
                throw new UsageException("--count and --z3-count must be positive");
            }

            var solver = ProcessSmtSolver.Z3(new ProcessRunner());
            var rows = new List<object>();
            foreach (var width in new[] { 8, 16 })
            {
                var identities = new MbaGenerator(MbaGeneratorOptions.Default.WithBits(width).WithDepth(2).WithSeed(width)).Generate(n).ToList();
                var table = new MbaVerifier(null, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.TruthTableOnly));
                var sw = Stopwatch.StartNew();
                var tableOk = 0;
                foreach (var identity in identities)
                {
                    tableOk += await table.VerifyAsync(identity.Obfuscated, identity.Simple, width, ct) is MbaVerdict.Identity ? 1 : 0;
                }

                var tableSeconds = sw.Elapsed.TotalSeconds;
                var z3 = new MbaVerifier(solver, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.SmtOnly));
                sw.Restart();
                var z3Ok = 0;
                foreach (var identity in identities.Take(nz))
                {
                    z3Ok += await z3.VerifyAsync(identity.Obfuscated, identity.Simple, width, ct) is MbaVerdict.Identity ? 1 : 0;
                }

                var z3Seconds = sw.Elapsed.TotalSeconds;
                var row = new
                {
                    bits = width,
                    truthTable = new { identities = n, confirmed = tableOk, seconds = Math.Round(tableSeconds, 3), perSecond = Math.Round(n / tableSeconds, 1) },
                    z3 = new { identities = nz, confirmed = z3Ok, seconds = Math.Round(z3Seconds, 3), perSecond = Math.Round(nz / z3Seconds, 2) },
                };
                rows.Add(row);
                output.Line($"{width,2} bits: truth table {tableOk}/{n} in {tableSeconds:0.000} s ({n / tableSeconds:0} identities/s); z3 {z3Ok}/{nz} in {z3Seconds:0.0} s ({nz / z3Seconds:0.00} identities/s)");
            }

            if (output.Json)
            {
                output.WriteJson(new { results = rows });
            }

            return ExitCodes.Success;
        });
        return new Command("mba", "Mixed Boolean-Arithmetic identities.") { verify, bench };
    }

    internal static int CheckBits(int bits) => bits is >= 1 and <= 64 ? bits : throw new UsageException($"--bits must be between 1 and 64, got {bits}");

    private static string? Method(MbaMethod? method) => method switch
    {
        MbaMethod.TruthTable => "truth-table",
        MbaMethod.Exhaustive => "exhaustive",
        MbaMethod.Random => "random",
        MbaMethod.Smt => "z3",
        _ => null,
    };

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
