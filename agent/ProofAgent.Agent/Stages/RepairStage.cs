using ProofAgent.Agent.Documents;
using ProofAgent.Agent.Generation;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Stage 2 (Goedel-Prover-V2's self-correction, Kimina's error fixing): a rejected proof goes back to the model with
/// the prover's first errors (line, message) and the goal before the failing step, for up to
/// <see cref="ProofBudget.RepairRounds"/> rounds; each round repairs the first <see cref="PerRound"/> failures of the
/// previous one.
/// </summary>
public sealed class RepairStage(ProofSampler sampler, CandidateChecker checker)
{
    public const int PerRound = 2;

    /// <param name="goalAtError">The goal before the failing step of a candidate's script (a session replay), or null.</param>
    public async Task<GenerationResult> RunAsync(
        ProofRequest request,
        ProofDocument document,
        int index,
        IReadOnlyList<string?> solved,
        IReadOnlyList<FailedCandidate> failures,
        Func<FailedCandidate, Task<string?>> goalAtError,
        AttemptContext context,
        CancellationToken cancellationToken)
    {
        var target = document.Targets[index];
        var pending = failures.Take(PerRound).ToList();
        var failed = new List<FailedCandidate>();
        for (var round = 1; round <= request.Budget.RepairRounds && pending.Count > 0; round++)
        {
            var next = new List<FailedCandidate>();
            for (var i = 0; i < pending.Count && !context.Exhausted && context.Unavailable is null; i++)
            {
                var failure = pending[i];
                var errors = CandidateChecker.DescribeErrors(failure.Result, failure.Candidate.File, await goalAtError(failure));
                IReadOnlyList<ModelSample> repairs;
                try
                {
                    repairs = await sampler.RepairsAsync(document.Language, target.PromptStatement, request.InformalHint, failure.Proof, errors, 1,
                        request.Seed + (1000 * round) + i, cancellationToken);
                }
                catch (ModelException exception)
                {
                    context.Note($"{target.Name}: the model failed during a repair: {exception.Message}");
                    return new GenerationResult(null, null, failed);
                }

                foreach (var repair in repairs)
                {
                    if (repair.Proof.Text is not { } proof || document.Candidate(index, proof, solved) is not { } candidate)
                    {
                        context.Note($"{target.Name}: repair round {round} gave no usable proof: {repair.Proof.Reason ?? "it uses a hole"}");
                        continue;
                    }

                    var result = await checker.CheckAsync(document.Language, candidate.File, request.ExpectedStatement ?? request.Source, request.FileName,
                        ProofStage.Repair, target.Name, proof, context, cancellationToken);
                    if (candidate.IsCompleteFile ? result.Verdict.IsProved : CandidateChecker.Proves(result, target.Name))
                    {
                        context.Note($"{target.Name}: repaired in round {round}");
                        return candidate.IsCompleteFile
                            ? new GenerationResult(null, candidate.File, failed)
                            : new GenerationResult(document.Script(candidate.Script), null, failed);
                    }

                    var rejected = new FailedCandidate(proof, candidate, result);
                    next.Add(rejected);
                    failed.Add(rejected);
                }
            }

            pending = next.Take(PerRound).ToList();
        }

        return new GenerationResult(null, null, failed);
    }
}
