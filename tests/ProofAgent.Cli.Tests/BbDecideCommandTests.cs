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
