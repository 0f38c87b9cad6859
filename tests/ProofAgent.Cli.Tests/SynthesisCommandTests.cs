using System.Globalization;
using System.Text.Json;
using ProofAgent.GenerativeLogic;
using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>The `agent bb decide` contract, through the real executable.</summary>
[Collection(SynthCommands.Collection)]
public sealed class BbDecideCommandTests
{
    [Theory(Timeout = 180_000)]
    [InlineData("1RB1LB_1LA1RZ", 6, 4)] // BB(2) champion
    [InlineData("1RB1RZ_1LB0RC_1LC1LA", 21, 5)] // BB(3) champion by steps
    [InlineData("1RB1LB_1LA0LC_1RZ1LD_1RD0RA", 107, 13)] // BB(4) champion
    public async Task A_halting_machine_halts_with_its_step_count_ones_and_a_checked_certificate(string machine, long steps, long ones)
    {
        var run = await AgentProcess.RunAsync("bb", "decide", machine, "--json");

        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        Assert.Equal(machine, json.GetProperty("machine").GetString());
        Assert.Equal("halts", json.GetProperty("verdict").GetString());
        Assert.Equal(steps, json.GetProperty("steps").GetInt64());
        Assert.Equal(ones, json.GetProperty("ones").GetInt64());
        Assert.Equal("simulation", json.GetProperty("decider").GetString());
        var certificate = json.GetProperty("certificate");
        Assert.Equal("halts", certificate.GetProperty("kind").GetString());
        Assert.Equal(steps, certificate.GetProperty("steps").GetInt64());
        Assert.Equal(ones, certificate.GetProperty("ones").GetInt64());
        Assert.True(json.GetProperty("certificateChecked").GetBoolean());
        Assert.Contains($"halts after {steps} steps with {ones} ones", run.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_cycler_is_nonhalting_with_a_cycler_certificate()
    {
        var run = await AgentProcess.RunAsync("bb", "decide", "1RB0RB_1LA0LA", "--json");

        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        Assert.Equal("nonhalting", json.GetProperty("verdict").GetString());
        Assert.Equal("cycler", json.GetProperty("decider").GetString());
        var certificate = json.GetProperty("certificate");
        Assert.Equal("cycler", certificate.GetProperty("kind").GetString());
        var (t1, t2) = (certificate.GetProperty("t1").GetInt64(), certificate.GetProperty("t2").GetInt64());
        Assert.True(t1 >= 0 && t2 > t1, $"a cycle needs 0 <= t1 < t2, got t1 {t1}, t2 {t2}");
        Assert.True(json.GetProperty("certificateChecked").GetBoolean());
    }

    [Theory(Timeout = 180_000)]
    [InlineData("0RB0LB_1LA0RC_1RB---", "ngram-cps", "none")] // bouncer: cyclers, translated cyclers and backward reasoning fail
    [InlineData("0RB0LA_1LA1RC_1RB---", "ngram-cps-history", "history")] // needs the update-history alphabet
    public async Task A_bouncer_is_nonhalting_with_an_n_gram_closed_position_set(string machine, string decider, string augmentation)
    {
        var run = await AgentProcess.RunAsync("bb", "decide", machine, "--json");

        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        Assert.Equal("nonhalting", json.GetProperty("verdict").GetString());
        Assert.Equal(decider, json.GetProperty("decider").GetString());
        var certificate = json.GetProperty("certificate");
        Assert.Equal("ngram-cps", certificate.GetProperty("kind").GetString());
        Assert.Equal(augmentation, certificate.GetProperty("augmentation").GetString());
        Assert.True(certificate.GetProperty("left").GetInt32() > 0 && certificate.GetProperty("right").GetInt32() > 0);
        Assert.NotEqual(0, certificate.GetProperty("contexts").GetArrayLength());
        Assert.NotEqual(0, certificate.GetProperty("leftGrams").GetArrayLength());
        Assert.NotEqual(0, certificate.GetProperty("rightGrams").GetArrayLength());
        Assert.True(json.GetProperty("certificateChecked").GetBoolean());
    }

    [Fact(Timeout = 180_000)]
    public async Task A_machine_not_decided_within_the_step_limit_is_undecided_with_exit_code_one()
    {
        // The BB(5) champion halts only after 47,176,870 steps, and the non-halting deciders find nothing.
        var run = await AgentProcess.RunAsync("bb", "decide", "1RB1LC_1RC1RB_1RD0LE_1LA1LD_1RZ0LA", "--max-steps", "1000", "--json");

        Assert.Equal(1, run.ExitCode);
        var json = run.Json;
        Assert.Equal("undecided", json.GetProperty("verdict").GetString());
        Assert.Equal(1000, json.GetProperty("steps").GetInt64());
        Assert.False(json.TryGetProperty("decider", out _), "no decider for an undecided machine (nulls are omitted)");
        Assert.False(json.TryGetProperty("certificate", out _), "no certificate for an undecided machine (nulls are omitted)");
    }

    [Theory(Timeout = 180_000)]
    [InlineData("1RB1LA_1XA1RB", "move 'X' must be L or R")]
    [InlineData("1RB", "expected 6 characters")]
    [InlineData("1RB1LA_1LA1RQ", "1RB1LA_1LA1RQ")]
    public async Task A_malformed_machine_is_bad_input_naming_the_problem(string machine, string expected)
    {
        var run = await AgentProcess.RunAsync("bb", "decide", machine, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("bad-input", run.Json.GetProperty("error").GetString());
        var message = run.Json.GetProperty("message").GetString()!;
        Assert.Contains($"bad machine '{machine}'", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_step_limit_out_of_range_is_bad_input()
    {
        var run = await AgentProcess.RunAsync("bb", "decide", "1RB1LB_1LA1RZ", "--max-steps", "0", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--max-steps", run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

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

/// <summary>`agent gl run` once on the shipped Peano definitions (without coqc), shared by the tests that read its output.</summary>
public sealed class GlRunFixture : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("proofagent-gl-").FullName;

    public AgentProcess.Run Run { get; private set; } = null!;

    public async Task InitializeAsync() => Run = await AgentProcess.RunAsync("gl", "run", "--no-coq", "--out", Folder, "--json");

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The `agent gl run` and `agent gl check` contract on the shipped Peano definitions.</summary>
[Collection(SynthCommands.Collection)]
public sealed class GlCommandTests(GlRunFixture gl) : IClassFixture<GlRunFixture>
{
    private const string Anchor = "Peano[N,i0,s,+,*,i1]";

    /// <summary>Issue 9's targets, as the generator states them (canonical names v1, v2, ...).</summary>
    private static readonly (string Name, string Statement)[] Targets =
    [
        ("0 + a = a", $"(>[i0,+]({Anchor})(>[v1,v2](in3[i0,v1,v2,+])(=[v1,v2])))"),
        ("commutativity of +", $"(>[+]({Anchor})(>[v1,v2,v3](in3[v1,v2,v3,+])(in3[v2,v1,v3,+])))"),
        ("commutativity of *", $"(>[*]({Anchor})(>[v1,v2,v3](in3[v1,v2,v3,*])(in3[v2,v1,v3,*])))"),
        ("associativity of +", $"(>[+]({Anchor})(>[v1,v2,v3](in3[v1,v2,v3,+])(>[v4,v5](in3[v2,v4,v5,+])(>[v6](in3[v3,v4,v6,+])(in3[v1,v5,v6,+])))))"),
        ("associativity of *", $"(>[*]({Anchor})(>[v1,v2,v3](in3[v1,v2,v3,*])(>[v4,v5](in3[v2,v4,v5,*])(>[v6](in3[v3,v4,v6,*])(in3[v1,v5,v6,*])))))"),
        ("left distributivity", $"(>[+,*]({Anchor})(>[v1,v2,v3](in3[v1,v2,v3,*])(>[v4,v5](in3[v1,v4,v5,*])(>[v6](in3[v2,v4,v6,+])(>[v7](in3[v3,v5,v7,+])(in3[v1,v6,v7,*]))))))"),
        ("left cancellation of +", $"(>[+]({Anchor})(>[v1,v2,v3](in3[v1,v2,v3,+])(>[v4](in3[v1,v4,v3,+])(=[v2,v4]))))"),
    ];

    private static Pattern P(string rel, params string[] args) => new(rel, args);

    [Fact]
    public void Run_reports_the_issues_targets_as_proved_and_checked()
    {
        Assert.True(gl.Run.ExitCode == 0, $"exit code {gl.Run.ExitCode}\n{gl.Run.Stdout}\n{gl.Run.Stderr}");
        var json = gl.Run.Json;
        var theorems = json.GetProperty("theorems").EnumerateArray().ToList();
        Assert.Equal(json.GetProperty("proved").GetInt32(), theorems.Count);
        Assert.True(json.GetProperty("conjectures").GetInt32() >= theorems.Count);
        Assert.Equal(0, json.GetProperty("unproved").GetInt32());
        Assert.True(json.GetProperty("elapsedMs").GetInt64() > 0);
        Assert.False(json.TryGetProperty("coqError", out _));
        Assert.All(theorems, t =>
        {
            Assert.True(t.GetProperty("checked").GetBoolean(), $"{t.GetProperty("name")} is not checked");
            Assert.False(t.TryGetProperty("coqChecked", out _), "--no-coq: no coqChecked verdict");
        });

        var statements = theorems.ToDictionary(t => t.GetProperty("statement").GetString()!, t => t.GetProperty("name").GetString()!, StringComparer.Ordinal);
        var missing = Targets.Where(t => !statements.ContainsKey(t.Statement)).Select(t => $"{t.Name}: {t.Statement}").ToList();
        Assert.True(missing.Count == 0, "targets not among the proved theorems:\n" + string.Join('\n', missing) + "\nproved:\n" + string.Join('\n', statements.Keys));

        Assert.True(File.Exists(Path.Combine(gl.Folder, "proofs.json")));
        Assert.True(File.Exists(Path.Combine(gl.Folder, "GlTheorems.v")));
        Assert.True(File.Exists(Path.Combine(gl.Folder, "html", "index.html")));
    }

    [Fact]
    public void Right_distributivity_follows_from_the_written_proof_graph_without_induction()
    {
        // (b + c) * a = b * a + c * a is not generated as such (products are normalised); it must follow from what was proved.
        var (theory, theorems) = GlExports.Read(File.ReadAllText(Path.Combine(gl.Folder, "proofs.json")), "proofs.json");
        var right = new Statement(
            ["a", "b", "c", "d", "e", "f", "g"],
            [P("in3", "b", "c", "d", "+"), P("in3", "d", "a", "e", "*"), P("in3", "b", "a", "f", "*"), P("in3", "c", "a", "g", "*")],
            P("in3", "f", "g", "e", "+"));
        var wrong = new Statement(["a", "b", "c"], [P("in3", "a", "b", "c", "+")], P("=", "a", "c"));

        var report = ParityReport.Compare(theory, theorems, [right, wrong], CancellationToken.None);

        Assert.True(report.GlTheorems[0].Derivable, "right distributivity does not follow from the proved theorems");
        Assert.False(report.GlTheorems[1].Derivable, "a + b = a must not follow");
    }

    [Fact(Timeout = 180_000)]
    public async Task Check_replays_the_written_proof_graph()
    {
        var run = await AgentProcess.RunAsync("gl", "check", gl.Folder, "--no-coq", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal(gl.Run.Json.GetProperty("proved").GetInt32(), run.Json.GetProperty("theorems").GetInt32());
        Assert.Equal(run.Json.GetProperty("theorems").GetInt32(), run.Json.GetProperty("valid").GetInt32());
        Assert.Equal(0, run.Json.GetProperty("failures").GetArrayLength());
    }

    [RequiresFact(false, "coqc", Timeout = 180_000)]
    public async Task Check_with_coqc_accepts_the_exported_proofs()
    {
        var run = await AgentProcess.RunAsync("gl", "check", gl.Folder, "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.True(run.Json.GetProperty("coqChecked").GetBoolean(), run.Json.GetRawText());
        Assert.Equal(run.Json.GetProperty("theorems").GetInt32(), run.Json.GetProperty("valid").GetInt32());
    }

    [Fact(Timeout = 180_000)]
    public async Task Check_rejects_a_graph_whose_theorem_was_changed_with_exit_code_one()
    {
        var tampered = Directory.CreateTempSubdirectory("proofagent-gl-tampered-").FullName;
        try
        {
            // Commutativity of + made false (b + a = a), its proof left as it was.
            var graph = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(gl.Folder, "proofs.json")))!;
            var name = gl.Run.Json.GetProperty("theorems").EnumerateArray().Single(t => t.GetProperty("statement").GetString() == Targets[1].Statement).GetProperty("name").GetString();
            var theorem = graph["theorems"]!.AsArray().Single(t => (string?)t!["name"] == name)!;
            theorem["conclusion"]!["args"] = new System.Text.Json.Nodes.JsonArray("v2", "v1", "v1", "+");
            await File.WriteAllTextAsync(Path.Combine(tampered, "proofs.json"), graph.ToJsonString());

            var run = await AgentProcess.RunAsync("gl", "check", tampered, "--no-coq", "--json");

            Assert.Equal(1, run.ExitCode);
            Assert.True(run.Json.GetProperty("valid").GetInt32() < run.Json.GetProperty("theorems").GetInt32());
            Assert.Contains(run.Json.GetProperty("failures").EnumerateArray(), f => f.GetProperty("theorem").GetString() == name);
        }
        finally
        {
            Directory.Delete(tampered, recursive: true);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Check_without_a_proof_graph_is_bad_input()
    {
        var run = await AgentProcess.RunAsync("gl", "check", Path.Combine(gl.Folder, "no-such-folder"), "--no-coq", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("proofs.json", run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The `agent synth bb` and `agent synth mba` contract: the report and the files written.</summary>
[Collection(SynthCommands.Collection)]
public sealed class SynthCommandTests
{
    [Fact(Timeout = 180_000)]
    public async Task Synth_bb_with_two_states_reproduces_bb2_and_writes_every_problem()
    {
        var folder = Directory.CreateTempSubdirectory("proofagent-synth-bb-").FullName;
        try
        {
            var run = await AgentProcess.RunAsync("synth", "bb", "--states", "2", "--out", folder, "--json");

            Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
            var json = run.Json;
            Assert.Equal(2, json.GetProperty("states").GetInt32());
            Assert.Equal(6, json.GetProperty("maxSteps").GetInt64());
            Assert.Equal("1RB1LB_1LA1RZ", json.GetProperty("champion").GetString());
            Assert.Equal(4, json.GetProperty("championOnes").GetInt64());
            Assert.Equal(0, json.GetProperty("undecided").GetInt64());
            Assert.Equal(0, json.GetProperty("undecidedMachines").GetArrayLength());
            Assert.Equal(json.GetProperty("machines").GetInt64(), json.GetProperty("halting").GetInt64() + json.GetProperty("decidedNonHalting").GetInt64());
            Assert.Equal(json.GetProperty("machines").GetInt64(), json.GetProperty("byDecider").EnumerateObject().Sum(p => p.Value.GetInt64()));
            Assert.Equal(20, json.GetProperty("problems").GetInt32()); // --count defaults to 20
            SynthCommands.AssertProblemFiles(folder, json);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [RequiresFact(false, "coqc", Timeout = 300_000)]
    public async Task Synth_bb_check_has_every_emitted_coq_proof_accepted_by_coqc()
    {
        var run = await AgentProcess.RunAsync("synth", "bb", "--states", "2", "--count", "2", "--check", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var proofs = run.Json.GetProperty("coqProofs").GetInt32();
        Assert.True(proofs > 0);
        Assert.Equal(proofs, run.Json.GetProperty("coqProved").GetInt32());
        Assert.Equal(0, run.Json.GetProperty("coqRejected").GetInt32());
    }

    [Fact(Timeout = 180_000)]
    public async Task Synth_mba_writes_identities_that_hold_and_the_same_files_on_every_run()
    {
        var first = Directory.CreateTempSubdirectory("proofagent-synth-mba-").FullName;
        var second = Directory.CreateTempSubdirectory("proofagent-synth-mba-").FullName;
        try
        {
            var run = await AgentProcess.RunAsync("synth", "mba", "--count", "3", "--seed", "7", "--out", first, "--json");
            var again = await AgentProcess.RunAsync("synth", "mba", "--count", "3", "--seed", "7", "--out", second, "--json");

            Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
            var json = run.Json;
            Assert.Equal(3, json.GetProperty("problems").GetInt32());
            Assert.Equal(["identity:truth-table"], json.GetProperty("groundTruth").EnumerateObject().Select(p => p.Name));
            Assert.Equal(3, json.GetProperty("coqProofs").GetInt32()); // 2 variables x 8 bits: exhaustive Coq proofs
            var records = SynthCommands.AssertProblemFiles(folder: first, json);
            foreach (var record in records)
            {
                Assert.Equal(8, record.GetProperty("bits").GetInt32());
                Assert.Equal("identity", record.GetProperty("groundTruth").GetString());
                Assert.Equal("truth-table", record.GetProperty("method").GetString()); // the spelling `mba verify` uses
                var (lhs, rhs) = (record.GetProperty("lhs").GetString()!, record.GetProperty("rhs").GetString()!);
                for (var x = 0UL; x < 256; x++)
                {
                    for (var y = 0UL; y < 256; y += 5)
                    {
                        var assignment = new Dictionary<string, ulong>(StringComparer.Ordinal) { ["x"] = x, ["y"] = y, ["z"] = x ^ y };
                        Assert.True(MbaEvaluator.Evaluate(lhs, assignment, 8) == MbaEvaluator.Evaluate(rhs, assignment, 8), $"{lhs} == {rhs} fails at x={x}, y={y}");
                    }
                }
            }

            Assert.Equal(run.Stdout, again.Stdout);
            foreach (var file in Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(first, file!)), await File.ReadAllTextAsync(Path.Combine(second, file!)));
            }
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Theory(Timeout = 180_000)]
    [InlineData("bb", "--states", "0", "--states")]
    [InlineData("bb", "--states", "6", "--states")]
    [InlineData("bb", "--sim-steps", "0", "--sim-steps")]
    [InlineData("bb", "--count", "-1", "--count")]
    [InlineData("mba", "--bits", "1", "--bits")]
    [InlineData("mba", "--vars", "4", "--vars")]
    [InlineData("mba", "--count", "-1", "--count")]
    public async Task A_bad_option_is_bad_input(string command, string option, string value, string expected)
    {
        var run = command == "bb"
            ? await AgentProcess.RunAsync(option == "--states" ? ["synth", "bb", option, value, "--json"] : ["synth", "bb", "--states", "2", option, value, "--json"])
            : await AgentProcess.RunAsync("synth", "mba", option, value, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("bad-input", run.Json.GetProperty("error").GetString());
        Assert.Contains(expected, run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>Shared by the synthesis command tests.</summary>
internal static class SynthCommands
{
    /// <summary>Synthesis and GL commands run one at a time (each is a CPU-bound child process).</summary>
    public const string Collection = "synthesis commands";

    /// <summary>Checks problems.jsonl against the report and that every problem has its .lean, .v and .md (and .proof.v when counted); returns the records.</summary>
    public static List<JsonElement> AssertProblemFiles(string folder, JsonElement report)
    {
        var records = File.ReadAllLines(Path.Combine(folder, "problems.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        Assert.Equal(report.GetProperty("problems").GetInt32(), records.Count);
        var ids = records.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var id in ids)
        {
            foreach (var extension in new[] { ".lean", ".v", ".md" })
            {
                var file = Path.Combine(folder, id + extension);
                Assert.True(File.Exists(file) && new FileInfo(file).Length > 0, $"{id}{extension} is missing or empty");
            }
        }

        Assert.Equal(report.GetProperty("coqProofs").GetInt32(), ids.Count(id => File.Exists(Path.Combine(folder, id + ".proof.v"))));
        Assert.Equal(records.Count * 3 + report.GetProperty("coqProofs").GetInt32() + 1, Directory.GetFiles(folder).Length);
        return records;
    }
}

[CollectionDefinition(SynthCommands.Collection)]
public sealed class SynthesisCommandsGroup
{
}

/// <summary>
/// A small evaluator for MBA expressions on n-bit words, written for these tests (independent of the agent's):
/// C precedence, unary ~ and - tightest, then *, then + and -, then &amp;, then ^, then |; decimal and 0x constants.
/// </summary>
internal sealed class MbaEvaluator
{
    /// <summary>Binary operators by precedence, loosest first.</summary>
    private static readonly string[] Levels = ["|", "^", "&", "+-", "*"];

    private readonly string _text;
    private readonly IReadOnlyDictionary<string, ulong> _values;
    private readonly ulong _mask;
    private int _at;

    private MbaEvaluator(string text, IReadOnlyDictionary<string, ulong> values, int bits)
    {
        _text = text;
        _values = values;
        _mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
    }

    public static ulong Evaluate(string text, IReadOnlyDictionary<string, ulong> values, int bits)
    {
        var evaluator = new MbaEvaluator(text, values, bits);
        var value = evaluator.Binary(0);
        evaluator.Skip();
        Assert.True(evaluator._at == text.Length, $"test evaluator: unexpected '{text[evaluator._at..]}' in {text}");
        return value;
    }

    private ulong Binary(int level)
    {
        if (level == Levels.Length)
        {
            return Unary();
        }

        var value = Binary(level + 1);
        while (true)
        {
            Skip();
            if (_at >= _text.Length || !Levels[level].Contains(_text[_at], StringComparison.Ordinal))
            {
                return value;
            }

            var op = _text[_at++];
            var right = Binary(level + 1);
            value = op switch
            {
                '|' => value | right,
                '^' => value ^ right,
                '&' => value & right,
                '+' => value + right,
                '-' => value - right,
                _ => value * right,
            } & _mask;
        }
    }

    private ulong Unary()
    {
        Skip();
        var c = _text[_at];
        if (c is '~' or '-')
        {
            _at++;
            var operand = Unary();
            return (c == '~' ? ~operand : 0 - operand) & _mask;
        }

        if (c == '(')
        {
            _at++;
            var value = Binary(0);
            Skip();
            Assert.Equal(')', _text[_at++]);
            return value;
        }

        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        var token = _text[start.._at];
        Assert.True(token.Length > 0, $"test evaluator: unexpected '{c}' in {_text}");
        if (char.IsAsciiDigit(token[0]))
        {
            var hex = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            var number = 0UL;
            foreach (var digit in hex ? token[2..] : token)
            {
                number = unchecked((number * (hex ? 16UL : 10UL)) + (ulong)Convert.ToInt32(digit.ToString(), 16)); // wraps: exact modulo 2^64
            }

            return number & _mask;
        }

        Assert.True(_values.TryGetValue(token, out var v), $"test evaluator: no value for variable {token}");
        return v & _mask;
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }
}
