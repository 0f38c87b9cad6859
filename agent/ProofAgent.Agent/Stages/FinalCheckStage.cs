namespace ProofAgent.Agent.Stages;

/// <summary>
/// The last stage, whatever found the proof: the assembled file, in a fresh prover process, through the soundness gate,
/// against the ORIGINAL statement. Its verdict is the request's verdict: "no goals" in a session never counts.
/// </summary>
public sealed class FinalCheckStage(CandidateChecker checker)
{
    public async Task<CheckResult> RunAsync(
        ProofRequest request, string candidate, string theorem, List<StageSummary> stages, AttemptContext context, CancellationToken cancellationToken)
    {
        context.Emit(new ProofEvent.StageStarted(context.NowMs, ProofStage.FinalCheck, theorem));
        var started = context.Elapsed;
        var calls = context.ProverCalls;
        var statement = request.ExpectedStatement ?? request.Source;

        // The final check gets its own full limit: the budget decides what is searched, not whether a found proof is checked.
        var task = new ProofTask(request.Language, candidate).WithFileName(request.FileName).WithExpectedStatement(statement)
            .WithBudget(ResourceBudget.Default.WithWallClock(context.Budget.CheckTimeout));
        var result = await checker.CheckAsync(request.Language, candidate, statement, request.FileName, ProofStage.FinalCheck, theorem, "final", context, cancellationToken, task);
        context.Emit(new ProofEvent.StageFinished(context.NowMs, ProofStage.FinalCheck, theorem, result.Verdict.IsProved, context.ProverCalls - calls, (long)(context.Elapsed - started).TotalMilliseconds));
        stages.Add(new StageSummary(ProofStage.FinalCheck, theorem, result.Verdict.IsProved, context.ProverCalls - calls, context.Elapsed - started, result.Verdict.IsProved ? null : result.Verdict.Summary));
        return result;
    }
}
