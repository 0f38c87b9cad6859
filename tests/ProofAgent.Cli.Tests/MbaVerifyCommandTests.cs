using System.Globalization;
using System.Text.Json;
using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>The `agent mba verify` contract: verdicts in input order, counterexamples re-evaluated here by an independent evaluator.</summary>
[Collection(SynthCommands.Collection)]
public sealed class MbaVerifyCommandTests
{
    /// <summary>Line by line: (lhs, rhs, verdict at 8 bits, verdict at 16 bits); a blank line in the middle is skipped.</summary>
    private static readonly (string Lhs, string Rhs, string At8, string At16)[] Questions =
    [
        ("x + y", "(x ^ y) + 2*(x & y)", "identity", "identity"), // a true linear identity
        ("x + y", "x | y", "counterexample", "counterexample"), // a false one
        ("x ^ y + z", "x ^ (y + z)", "identity", "identity"), // C precedence: + binds tighter than ^
        ("x ^ y + z", "(x ^ y) + z", "counterexample", "counterexample"),
        ("x | y & z", "x | (y & z)", "identity", "identity"), // & binds tighter than |
        ("x * 256", "0", "identity", "counterexample"), // wrap-around at 8 bits only
        ("-x", "~x + 1", "identity", "identity"), // two's complement
    ];

    private static string DataFile()
    {
        var lines = Questions.Select((q, i) => JsonSerializer.Serialize(new { lhs = q.Lhs, rhs = q.Rhs, id = i, note = "extra fields are ignored" })).ToList();
        lines.Insert(3, string.Empty);
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-mba-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    [RequiresFact(false, "z3", Timeout = 180_000)]
    public async Task Each_line_gets_a_verdict_in_input_order_and_every_counterexample_is_one()
    {
        var data = DataFile();
        try
        {
            foreach (var bits in new[] { 8, 16 })
            {
                var run = await AgentProcess.RunAsync("mba", "verify", "--data", data, "--bits", bits.ToString(CultureInfo.InvariantCulture), "--json");

                Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
                var json = run.Json;
                var results = json.GetProperty("results").EnumerateArray().ToList();
                var expected = Questions.Select(q => bits == 8 ? q.At8 : q.At16).ToList();
                Assert.Equal(expected, results.Select(r => r.GetProperty("verdict").GetString()));
                Assert.Equal(expected.Count(v => v == "identity"), json.GetProperty("identity").GetInt32());
                Assert.Equal(expected.Count(v => v == "counterexample"), json.GetProperty("counterexample").GetInt32());
                Assert.Equal(0, json.GetProperty("unknown").GetInt32());

                for (var i = 0; i < results.Count; i++)
                {
                    var (lhs, rhs) = (Questions[i].Lhs, Questions[i].Rhs);
                    if (results[i].GetProperty("verdict").GetString() == "counterexample")
                    {
                        var assignment = results[i].GetProperty("counterexample").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetUInt64(), StringComparer.Ordinal);
                        var (l, r) = (MbaEvaluator.Evaluate(lhs, assignment, bits), MbaEvaluator.Evaluate(rhs, assignment, bits));
                        Assert.True(l != r, $"{bits} bits, line {i + 1}: {lhs} == {rhs} holds at {string.Join(", ", assignment)} ({l}), so it is no counterexample");
                        Assert.Equal(l, results[i].GetProperty("lhsValue").GetUInt64());
                        Assert.Equal(r, results[i].GetProperty("rhsValue").GetUInt64());
                    }
                    else
                    {
                        // Spot check: an identity holds on corner values and on seeded random values.
                        var random = new Random(i);
                        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
                        ulong[] corners = [0, 1, 2, mask, mask - 1, 1UL << (bits - 1)];
                        for (var k = 0; k < 300; k++)
                        {
                            ulong Pick() => k < corners.Length * corners.Length ? corners[random.Next(corners.Length)] : (ulong)random.NextInt64() & mask;
                            var assignment = new Dictionary<string, ulong>(StringComparer.Ordinal) { ["x"] = Pick(), ["y"] = Pick(), ["z"] = Pick() };
                            Assert.True(
                                MbaEvaluator.Evaluate(lhs, assignment, bits) == MbaEvaluator.Evaluate(rhs, assignment, bits),
                                $"{bits} bits, line {i + 1}: reported identity {lhs} == {rhs} fails at {string.Join(", ", assignment)}");
                        }
                    }
                }
            }
        }
        finally
        {
            File.Delete(data);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Three_variable_identities_at_8_bits_in_mba_solver_layout_are_decided_without_a_solver()
    {
        // MBA-Solver's comma-separated layout; each line needs more than the truth-table theorem. Before the normal form
        // and exhaustive evaluation these went to z3 and took up to --timeout each.
        string[] lines =
        [
            "#complex,groundtruth",
            "(x&y)*(x|y)+(x&~y)*(~x&y)+3*(x^z)-3*(x|z)+3*(x&z),x*y", // polynomial MBA: the normal form
            "x*(x-1)*y*z*128,0", // true at 8 bits (x(x-1) is even) but not a polynomial identity: exhaustive evaluation
            "x*(x-1)*y*z*64,0", // false: exhaustive evaluation finds the first counterexample
        ];
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-mba-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            var run = await AgentProcess.RunAsync("mba", "verify", "--data", path, "--bits", "8", "--json");

            Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
            var results = run.Json.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal([2, 3, 4], results.Select(r => r.GetProperty("line").GetInt32()));
            Assert.Equal(["identity", "identity", "counterexample"], results.Select(r => r.GetProperty("verdict").GetString()));
            Assert.Equal(["normal-form", "exhaustive", "exhaustive"], results.Select(r => r.GetProperty("method").GetString()));
            var counterexample = results[2].GetProperty("counterexample").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetUInt64(), StringComparer.Ordinal);
            Assert.NotEqual(0UL, MbaEvaluator.Evaluate("x*(x-1)*y*z*64", counterexample, 8));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RequiresFact(false, "z3", Timeout = 180_000)]
    public async Task A_solver_query_past_its_timeout_is_unknown_and_the_lines_after_it_are_answered_in_order()
    {
        // The middle identity is beyond the normal form (a bitwise operation on 17 variables) and evaluation (19
        // variables at 64 bits), and the MBA inside it is beyond z3 in one second.
        const string big = "(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q) & r";
        string[] lines =
        [
            JsonSerializer.Serialize(new { lhs = "x + y", rhs = "(x ^ y) + 2*(x & y)" }),
            JsonSerializer.Serialize(new { lhs = $"({big}) * ((x & y) * (x | y) + (x & ~y) * (~x & y))", rhs = $"({big}) * x * y" }),
            JsonSerializer.Serialize(new { lhs = "x + y", rhs = "x | y" }),
        ];
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-mba-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            var run = await AgentProcess.RunAsync("mba", "verify", "--data", path, "--bits", "64", "--timeout", "1", "--json");

            Assert.Equal(1, run.ExitCode); // an unknown answer
            var results = run.Json.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(["identity", "unknown", "counterexample"], results.Select(r => r.GetProperty("verdict").GetString()));
            Assert.Contains("z3", results[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory(Timeout = 180_000)]
    [InlineData("{\"lhs\":\"x +\",\"rhs\":\"x\"}", "line 3, lhs, at 1:4")] // a syntax error: line, side, column
    [InlineData("not json", "line 3: not valid JSON")]
    [InlineData("{\"lhs\":\"x\"}", "line 3: missing string field \"rhs\"")]
    [InlineData("[\"x\",\"x\"]", "line 3: expected a JSON object")]
    public async Task A_malformed_line_is_bad_input_naming_the_line(string line, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-mba-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, "{\"lhs\":\"x\",\"rhs\":\"x\"}\n\n" + line + "\n{\"lhs\":\"y\",\"rhs\":\"y\"}\n");
        try
        {
            var run = await AgentProcess.RunAsync("mba", "verify", "--data", path, "--json");

            Assert.Equal(2, run.ExitCode);
            Assert.Equal("bad-input", run.Json.GetProperty("error").GetString());
            Assert.Contains(expected, run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory(Timeout = 180_000)]
    [InlineData("--bits", "0", "--bits")]
    [InlineData("--bits", "65", "--bits")]
    [InlineData("--timeout", "0", "--timeout")]
    [InlineData("--timeout", "NaN", "--timeout")]
    [InlineData("--strategy", "fast", "--strategy")]
    [InlineData("--data", "no/such/file.jsonl", "does not exist")]
    public async Task A_bad_option_is_bad_input(string option, string value, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-mba-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, "{\"lhs\":\"x\",\"rhs\":\"x\"}\n");
        try
        {
            var arguments = new List<string> { "mba", "verify", "--json" };
            if (option != "--data")
            {
                arguments.AddRange(["--data", path]);
            }

            arguments.AddRange([option, value]);
            var run = await AgentProcess.RunAsync([.. arguments]);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains(expected, run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
