namespace ProofAgent.Models;

/// <summary>Why a sample ended.</summary>
public enum FinishReason
{
    /// <summary>A stop sequence appeared (it is cut from the text).</summary>
    Stop,

    /// <summary>The model produced its end-of-sequence token.</summary>
    EndOfSequence,

    /// <summary>The per-sample token budget (<see cref="SamplingOptions.MaxTokens"/>) ran out.</summary>
    Length,
}

/// <summary>
/// One sampled completion. <see cref="Seed"/> is the seed that drew it (null when the server drew all samples of a request
/// from one seed); <see cref="CompletionTokens"/> is null when the server does not report per-sample counts.
/// </summary>
public sealed record Completion(
    int Index,
    string Text,
    FinishReason FinishReason,
    long? Seed,
    int PromptTokens,
    int? CompletionTokens,
    TimeSpan Elapsed)
{
    /// <summary>Generated tokens per second of this sample's own wall-clock time (null when unknown).</summary>
    public double? TokensPerSecond => CompletionTokens is { } tokens && Elapsed > TimeSpan.Zero ? tokens / Elapsed.TotalSeconds : null;
}

/// <summary>What a loaded model is: its registry name, runtime and where its weights or server are.</summary>
public sealed record ModelIdentity(string Name, string Runtime, string Source)
{
    public override string ToString() => $"{Name} ({Runtime}: {Source})";
}
