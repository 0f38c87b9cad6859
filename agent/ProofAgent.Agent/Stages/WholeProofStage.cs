using ProofAgent.Agent.Documents;
using ProofAgent.Agent.Generation;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Stage 1: k whole proofs of one target in one batched model call, each checked by the prover. With
/// <see cref="ProofRequest.CheckAllSamples"/> every sample is checked (pass@k); otherwise the stage stops at the first
/// accepted one. A complete file in the answer is checked as it is; a script fills the hole.
/// </summary>
public sealed class WholeProofStage(ProofSampler sampler, CandidateChecker checker)
{
    public async Task<GenerationResult> RunAsync(
        ProofRequest request, ProofDocument document, int index, IReadOnlyList<string?> solved, AttemptContext context, CancellationToken cancellationToken)
    {
        var target = document.Targets[index];
        IReadOnlyList<ModelSample> samples;
        try
        {
            samples = await sampler.WholeProofsAsync(document.Language, target.PromptStatement, request.InformalHint, request.Budget.Samples, request.Seed, cancellationToken);
        }
        catch (ModelException exception)
        {
            context.Note($"{target.Name}: the model failed: {exception.Message}");
            return GenerationResult.None;
        }

        var failures = new List<FailedCandidate>();
        string? acceptedScript = null;
        string? acceptedFile = null;
        foreach (var sample in samples)
        {
            context.CountSample();
            if (context.Exhausted || context.Unavailable is not null)
            {
                context.RecordSample(false);
                context.Note($"{target.Name}: sample {sample.Index} not checked: the budget is spent");
                continue;
            }

            if (sample.Proof.Text is not { } proof || document.Candidate(index, proof, solved) is not { } candidate)
            {
                context.RecordSample(false);
                context.Note($"{target.Name}: sample {sample.Index} has no usable proof: {sample.Proof.Reason ?? "it uses a hole"}");
                continue;
            }

            var result = await checker.CheckAsync(document.Language, candidate.File, request.ExpectedStatement ?? request.Source, request.FileName,
                ProofStage.WholeProof, target.Name, proof, context, cancellationToken);
            var proved = candidate.IsCompleteFile ? result.Verdict.IsProved : CandidateChecker.Proves(result, target.Name);
            context.RecordSample(proved);
            if (!proved)
            {
                failures.Add(new FailedCandidate(proof, candidate, result));
                continue;
            }

            if (acceptedScript is null && acceptedFile is null)
            {
                (acceptedScript, acceptedFile) = candidate.IsCompleteFile ? (null, candidate.File) : (document.Script(candidate.Script), (string?)null);
            }

            if (!request.CheckAllSamples)
            {
                break;
            }
        }

        return new GenerationResult(acceptedScript, acceptedFile, failures);
    }
}
