namespace ProofAgent.Models;

/// <summary>
/// A loaded model that samples completions. Implementations are safe to call concurrently (they queue or batch);
/// every call honours its <see cref="CancellationToken"/>.
/// </summary>
public interface IGenerationEngine : IAsyncDisposable
{
    ModelIdentity Identity { get; }

    /// <summary>The longest prompt plus completion, in tokens, one sample may use.</summary>
    int ContextLength { get; }

    /// <summary>Draws <paramref name="n"/> samples of a continuation of <paramref name="prompt"/>, ordered by index.</summary>
    Task<IReadOnlyList<Completion>> SampleAsync(string prompt, int n, SamplingOptions options, CancellationToken cancellationToken);

    /// <summary>Draws one sample (seed <see cref="SamplingOptions.Seed"/>) and yields its text as it is generated.</summary>
    IAsyncEnumerable<string> StreamAsync(string prompt, SamplingOptions options, CancellationToken cancellationToken);
}

/// <summary>
/// An engine that also speaks a chat API (OpenAI <c>chat/completions</c>): the server applies the model's own chat
/// template to the turns, which general instruction models need.
/// </summary>
public interface IChatGenerationEngine : IGenerationEngine
{
    /// <summary>True when this model is configured to be sent chat turns rather than text.</summary>
    bool PrefersChat { get; }

    /// <summary>Draws <paramref name="n"/> answers to <paramref name="turns"/>, ordered by index.</summary>
    Task<IReadOnlyList<Completion>> SampleChatAsync(IReadOnlyList<ChatTurn> turns, int n, SamplingOptions options, CancellationToken cancellationToken);
}
