namespace ProofAgent.Agent.Generation;

/// <summary>One whole-proof answer of the model: the completion as drawn and the proof read out of it (or why none was).</summary>
public sealed record ModelSample(int Index, string Completion, ProofExtraction Proof, FinishReason Finish);

/// <summary>
/// The loop's only way to a language model: prompts rendered by the model's <see cref="PromptFormat"/> (the model card's
/// conventions, in the request's language), n samples drawn in one batched call, proofs read by <see cref="ProofExtractor"/>.
/// </summary>
public sealed class ProofSampler(LanguageModel model)
{
    public LanguageModel Model => model;

    /// <summary>The model-side name of a proof language.</summary>
    public static TargetLanguage Target(ProofLanguage language) => language switch
    {
        ProofLanguage.Coq => TargetLanguage.Coq,
        ProofLanguage.Lean4 => TargetLanguage.Lean4,
        ProofLanguage.Isabelle => TargetLanguage.Isabelle,
        ProofLanguage.FStar => TargetLanguage.FStar,
        _ => throw new NotSupportedException($"no proof prompts for {language.Id()}"),
    };

    /// <summary>Draws <paramref name="n"/> whole proofs of <paramref name="statement"/> in one call (sample i is seeded seed + i).</summary>
    public async Task<IReadOnlyList<ModelSample>> WholeProofsAsync(
        ProofLanguage language, string statement, string? informal, int n, int seed, CancellationToken cancellationToken)
    {
        var request = new StatementPrompt(statement, informal) { Language = Target(language) };
        return Read(language, await model.SampleAsync(model.Format.ProofPrompt(request), n, model.Spec.Sampling.WithSeed(seed), cancellationToken));
    }

    /// <summary>Draws <paramref name="n"/> repairs of <paramref name="failedProof"/> given the prover's <paramref name="errors"/>.</summary>
    public async Task<IReadOnlyList<ModelSample>> RepairsAsync(
        ProofLanguage language, string statement, string? informal, string failedProof, string errors, int n, int seed, CancellationToken cancellationToken)
    {
        var request = new StatementPrompt(statement, informal) { Language = Target(language) };
        var prompt = model.Format.RepairPrompt(request, failedProof, errors);
        return Read(language, await model.SampleAsync(prompt, n, model.Spec.Sampling.WithSeed(seed), cancellationToken));
    }

    /// <summary>Up to <paramref name="n"/> distinct next tactics for a goal, in the order drawn.</summary>
    public async Task<IReadOnlyList<string>> TacticsAsync(ProofLanguage language, Goal goal, int n, int seed, CancellationToken cancellationToken)
    {
        var prompt = model.Format.TacticPrompt(goal.ToString(), Target(language));
        var completions = await model.SampleAsync(prompt, n, model.Spec.Sampling.WithSeed(seed), cancellationToken);
        return [.. completions.Select(c => ProofExtractor.ExtractTactic(c.Text).Text).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private static List<ModelSample> Read(ProofLanguage language, IReadOnlyList<Completion> completions)
    {
        var target = Target(language);
        return [.. completions.Select(c => new ModelSample(c.Index, c.Text, ProofExtractor.ExtractProof(c.Text, target), c.FinishReason))];
    }
}
