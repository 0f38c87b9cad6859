using System.Text.Json;
using System.Text.Json.Nodes;
using ProofAgent.Agent.Sessions;
using ProofAgent.Hosting;
using ProofAgent.Provers;
using ProofAgent.Provers.Isabelle;
using ProofAgent.Provers.Lean;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>
/// The loop's control flow on fakes (no prover process, milliseconds): which stage runs after which, what the model is
/// shown, how the budget ends an attempt, how a lost session is replaced; and Lean 4 / Isabelle sketches and per-hole
/// refinement on sessions replayed from recorded prover output (../shared/fixtures).
/// </summary>
public sealed class StageFlowTests
{
    private const string CoqTrue = "Theorem t : True.\nProof.\nAdmitted.\n";

    private static ProofBudget Fast(int samples = 1) => ProofBudget.Default.WithWallClock(TimeSpan.FromSeconds(60)).WithSamples(samples).WithTacticTimeout(TimeSpan.FromSeconds(2));

    [Fact(Timeout = 30_000)]
    public async Task A_rejected_whole_proof_goes_back_to_the_model_with_the_provers_error()
    {
        var engine = new ScriptedEngine("```coq\nbroken_step.\n```", "Fixed:\n```coq\nexact I.\n```");
        var checker = new FakeChecker(ProofLanguage.Coq, source => source.Contains("exact I.", StringComparison.Ordinal), "broken_step.", "Error: The reference broken_step was not found.");
        var runner = new ProofAgentRunner(new ProverAccess(_ => checker, _ => null, SourceScanners.For), engine.Model());
        var events = new List<ProofEvent>();

        var outcome = await runner.ProveAsync(new ProofRequest(ProofLanguage.Coq, CoqTrue) { UseAutomation = false }.WithBudget(Fast()), new Collect(events));

        Assert.True(outcome.IsProved, outcome.Verdict.Summary);
        Assert.Equal(ProofStage.Repair, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Equal([ProofStage.WholeProof, ProofStage.Repair, ProofStage.FinalCheck], outcome.Stages.Select(s => s.Stage));
        var repairPrompt = engine.Prompts[1];
        Assert.Contains("The reference broken_step was not found.", repairPrompt, StringComparison.Ordinal);
        Assert.Matches(@"line \d+: `broken_step\.`", repairPrompt);
        Assert.Contains("```coq\nbroken_step.\n```", repairPrompt, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_repair_is_sketched_and_its_hole_closed_in_the_session()
    {
        var engine = new ScriptedEngine("```coq\nbroken_step.\n```");
        var checker = new FakeChecker(ProofLanguage.Coq, source => source.Contains("solve [easy]", StringComparison.Ordinal));
        var session = new FakeSession([new Goal([], "True")], (_, tactic) => tactic.Contains("(solve [easy])", StringComparison.Ordinal) ? new StepResult.ProofFinished(new ProofStateId(1)) : null);
        var prover = new FakeProver(ProofLanguage.Coq, _ => session);
        var runner = new ProofAgentRunner(new ProverAccess(_ => checker, _ => prover, SourceScanners.For), engine.Model());

        var outcome = await runner.ProveAsync(new ProofRequest(ProofLanguage.Coq, CoqTrue) { UseAutomation = false }.WithBudget(Fast()));

        Assert.True(outcome.IsProved, outcome.Verdict.Summary);
        Assert.Equal(ProofStage.Sketch, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Equal([ProofStage.WholeProof, ProofStage.Repair, ProofStage.Sketch, ProofStage.FinalCheck], outcome.Stages.Select(s => s.Stage));
        Assert.Contains("broken_step.", session.Tactics);
        Assert.Equal(1, prover.Opened);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_prover_call_budget_ends_the_attempt_and_unchecked_samples_count_as_failures()
    {
        var engine = new ScriptedEngine("```coq\nbroken_step.\n```");
        var checker = new FakeChecker(ProofLanguage.Coq, _ => false);
        var runner = new ProofAgentRunner(new ProverAccess(_ => checker, _ => null, SourceScanners.For), engine.Model());
        var request = new ProofRequest(ProofLanguage.Coq, CoqTrue) { UseAutomation = false, CheckAllSamples = true }.WithBudget(Fast(samples: 8).WithMaxProverCalls(3));

        var outcome = await runner.ProveAsync(request);

        Assert.False(outcome.IsProved);
        Assert.Equal(3, checker.Checked.Count);
        Assert.Equal(3, outcome.ProverCalls);
        Assert.Equal(Enumerable.Repeat(false, 8), outcome.SampleResults);
        Assert.DoesNotContain(outcome.Stages, s => s.Stage == ProofStage.FinalCheck);
        Assert.Contains("no proof found", outcome.Verdict.Summary, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_sample_is_checked_when_pass_at_k_is_measured()
    {
        var engine = new ScriptedEngine("```coq\nbroken_step.\n```", "```coq\nexact I.\n```");
        var checker = new FakeChecker(ProofLanguage.Coq, source => source.Contains("exact I.", StringComparison.Ordinal));
        var runner = new ProofAgentRunner(new ProverAccess(_ => checker, _ => null, SourceScanners.For), engine.Model());

        var all = await runner.ProveAsync(new ProofRequest(ProofLanguage.Coq, CoqTrue) { UseAutomation = false, CheckAllSamples = true }.WithBudget(Fast(samples: 4)));
        var first = await runner.ProveAsync(new ProofRequest(ProofLanguage.Coq, CoqTrue) { UseAutomation = false }.WithBudget(Fast(samples: 4)));

        Assert.True(all.IsProved);
        Assert.Equal([false, true, false, true], all.SampleResults);
        Assert.Equal([false, true], first.SampleResults);
        Assert.Equal(1, engine.Prompts.Count(p => p.Contains("Complete the following", StringComparison.Ordinal)) - 1);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_lost_session_is_replaced_once_and_then_the_lease_gives_up()
    {
        var sessions = new List<FakeSession>();
        var prover = new FakeProver(ProofLanguage.Coq, _ =>
        {
            var session = new FakeSession([new Goal([], "True")], (_, _) => null);
            sessions.Add(session);
            return session;
        });
        var context = new AttemptContext(Fast(), null);
        await using var lease = new SessionLease(prover, "", "Coq", context);

        var first = await lease.AcquireAsync(CancellationToken.None);
        Assert.Same(first, await lease.AcquireAsync(CancellationToken.None));
        sessions[0].Crashed = true;
        Assert.True(lease.Lost);
        var second = await lease.AcquireAsync(CancellationToken.None);
        sessions[1].Crashed = true;
        var third = await lease.AcquireAsync(CancellationToken.None);

        Assert.NotNull(second);
        Assert.NotSame(first, second);
        Assert.Null(third);
        Assert.Equal(2, prover.Opened);
    }

    [RequiresSharedFact]
    public async Task A_lean_proof_is_sketched_and_its_hole_refined_on_a_recorded_repl_session()
    {
        // The Lean REPL's own test session (proof_step): `have t : Nat := 42` then `exact t` from proof state 0.
        var session = LeanReplay.Load("repl-v4.33.0-rc2", "proof_step");
        var prover = new FakeProver(ProofLanguage.Lean4, _ => session);
        var engine = new ScriptedEngine(
            "<think>maybe ```lean4\nexact 0\n``` works</think>\n```lean4\ntheorem f : Nat := by\n  have t : Nat := 42\n  exact not_a_term\n```",
            "```lean4\nexact t\n```");
        var checker = new FakeChecker(ProofLanguage.Lean4, source => source.Contains("have t : Nat := 42\n  exact t", StringComparison.Ordinal) && !source.Contains("sorry", StringComparison.Ordinal));
        var runner = new ProofAgentRunner(new ProverAccess(_ => checker, _ => prover, SourceScanners.For), engine.Model());
        var events = new List<ProofEvent>();

        var outcome = await runner.ProveAsync(
            new ProofRequest(ProofLanguage.Lean4, "theorem f : Nat := by\n  sorry\n") { UseAutomation = false }.WithBudget(Fast().WithRepairRounds(0)), new Collect(events));

        Assert.True(outcome.IsProved, outcome.Verdict.Summary + "\n" + string.Join("\n", events));
        Assert.Equal(ProofStage.Sketch, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Equal(["have t : Nat := 42", "exact not_a_term", "exact t"], session.Tactics);
        Assert.Contains(events, e => e is ProofEvent.TacticApplied { Stage: ProofStage.Sketch, Tactic: "exact t", GoalsAfter: 0 });
        Assert.Equal("theorem f : Nat := by\n  have t : Nat := 42\n  exact t\n", outcome.Proof);
    }

    [RequiresSharedFact]
    public async Task An_isabelle_goal_is_closed_by_the_recorded_sledgehammer_proof()
    {
        // Sledgehammer's answer as the Isabelle server sent it (use_theories.Sledgehammer: "Try this: by metis").
        var recorded = File.ReadAllText(TestPaths.SharedPath("fixtures", "isabelle", "server", "use_theories.Sledgehammer.txt"));
        var automation = new RecordedSledgehammer(recorded);
        var session = new FakeSession([new Goal([], "∀x. ∃y. x = y")], (_, tactic) => tactic == "metis" ? new StepResult.ProofFinished(new ProofStateId(1)) : null);
        var prover = new FakeProver(ProofLanguage.Isabelle, _ => session);
        var checker = new FakeChecker(ProofLanguage.Isabelle, source => source.Contains("apply (metis)\n  done", StringComparison.Ordinal));
        var runner = new ProofAgentRunner(new ProverAccess(_ => checker, _ => prover, SourceScanners.For).WithAutomation(_ => automation));
        const string theory = "theory Problem imports Main begin\n\nlemma ex: \"\\<forall> x. \\<exists> y. x = y\"\n  sorry\n\nend\n";

        var outcome = await runner.ProveAsync(new ProofRequest(ProofLanguage.Isabelle, theory).WithBudget(Fast(samples: 0)));

        Assert.True(outcome.IsProved, outcome.Verdict.Summary);
        Assert.Equal(ProofStage.Refinement, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Equal([ProofStage.Portfolio, ProofStage.Refinement, ProofStage.FinalCheck], outcome.Stages.Select(s => s.Stage));
        Assert.Equal(["metis"], session.Tactics.Where(t => t == "metis"));
    }

    /// <summary>Sledgehammer's suggestions read from a recorded server stream with the real reader.</summary>
    private sealed class RecordedSledgehammer(string recorded) : IGoalAutomation
    {
        public Task<IReadOnlyList<string>> SuggestAsync(IProverSession session, ProofStateId state, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var messages = recorded.Split('\n').SelectMany(Messages);
            var suggestions = IsabelleOutput.ParseTryThis(messages);
            return Task.FromResult<IReadOnlyList<string>>([.. suggestions.Select(s => s.Proof.StartsWith("by ", StringComparison.Ordinal) ? s.Proof[3..] : s.Proof)]);
        }

        private static IEnumerable<string> Messages(string line)
        {
            var start = line.IndexOf('{', StringComparison.Ordinal);
            if (start < 0)
            {
                yield break;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line[start..]);
            }
            catch (JsonException)
            {
                yield break;
            }

            foreach (var text in Strings(node))
            {
                yield return text;
            }
        }

        private static IEnumerable<string> Strings(JsonNode? node) => node switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => [text],
            JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
            JsonArray array => array.SelectMany(Strings),
            _ => [],
        };
    }
}

/// <summary>A Lean session replayed from a recorded REPL transcript: each tactic request answers what the REPL answered.</summary>
public sealed class LeanReplay(IReadOnlyList<JsonObject> requests, IReadOnlyList<LeanReplResponse> responses) : IProverSession
{
    public List<string> Tactics { get; } = [];

    public ProverIdentity Identity { get; } = new("lean-replay", "recorded");

    public bool IsHealthy => true;

    public int Uses => Tactics.Count;

    public static LeanReplay Load(string version, string name)
    {
        var folder = TestPaths.SharedPath("fixtures", "lean", version);
        var requests = File.ReadAllText(Path.Combine(folder, name + ".in")).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(r => (JsonObject)JsonNode.Parse(r)!).ToList();
        var responses = LeanReplReader.ParseTranscript(File.ReadAllText(Path.Combine(folder, name + ".expected.out")));
        return new LeanReplay(requests, responses);
    }

    /// <summary>The first recorded command's first sorry is the proof's start state.</summary>
    public Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default)
    {
        var command = responses.First(r => r is LeanReplResponse.Command);
        var sorry = command.Sorries.First(s => s.ProofState is not null);
        return Task.FromResult<StepResult>(new StepResult.Goals(new ProofStateId(sorry.ProofState!.Value), [new Goal([], sorry.Goal.TrimStart('⊢', ' '))]));
    }

    public Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default)
    {
        Tactics.Add(tactic);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i]["tactic"]?.GetValue<string>() == tactic && requests[i]["proofState"]?.GetValue<int>() == state.Value)
            {
                return Task.FromResult(LeanReplSession.ToStep(responses[i]));
            }
        }

        return Task.FromResult<StepResult>(new StepResult.StepError($"unknown tactic `{tactic}` (not in the recording)"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
