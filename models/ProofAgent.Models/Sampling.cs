using System.Globalization;

namespace ProofAgent.Models;

/// <summary>
/// How to sample. Sample <c>i</c> of a request uses seed <see cref="SeedFor"/>(i) = <see cref="Seed"/> + i, so a request
/// is reproducible sample by sample whatever the batch size. <see cref="MaxTokens"/> is the per-sample token budget.
/// </summary>
public sealed record SamplingOptions
{
    public static SamplingOptions Default { get; } = new();

    /// <summary>Softmax temperature; 0 means greedy.</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>Nucleus sampling mass in (0, 1].</summary>
    public double TopP { get; init; } = 0.95;

    /// <summary>Top-k cut-off; 0 disables it.</summary>
    public int TopK { get; init; }

    /// <summary>The most tokens one sample may generate (the per-sample budget).</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>The seed of sample 0; sample i uses Seed + i.</summary>
    public long Seed { get; init; }

    /// <summary>Generation stops before the first occurrence of any of these strings (which is not part of the text).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    public SamplingOptions WithTemperature(double value) => this with { Temperature = value };

    public SamplingOptions WithTopP(double value) => this with { TopP = value };

    public SamplingOptions WithTopK(int value) => this with { TopK = value };

    public SamplingOptions WithMaxTokens(int value) => this with { MaxTokens = value };

    public SamplingOptions WithSeed(long value) => this with { Seed = value };

    public SamplingOptions WithStop(params IEnumerable<string> stop) => this with { Stop = [.. stop] };

    /// <summary>The seed of sample <paramref name="index"/>.</summary>
    public long SeedFor(int index) => unchecked(Seed + index);

    /// <summary>Throws a <see cref="ModelException"/> of kind <see cref="ModelErrorKind.InvalidRequest"/> naming the bad field.</summary>
    public SamplingOptions Validate()
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (!(Temperature >= 0 && Temperature <= 100))
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"temperature must be in [0, 100], got {F(Temperature)}");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"topP must be in (0, 1], got {F(TopP)}");
        }

        if (TopK < 0)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"topK must be >= 0, got {TopK}");
        }

        if (MaxTokens is < 1 or > 1_000_000)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"maxTokens must be in [1, 1000000], got {MaxTokens}");
        }

        if (Stop.Any(string.IsNullOrEmpty))
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, "stop sequences must be non-empty strings");
        }

        return this;
    }

    public bool Equals(SamplingOptions? other) =>
        other is not null && Temperature.Equals(other.Temperature) && TopP.Equals(other.TopP) && TopK == other.TopK
        && MaxTokens == other.MaxTokens && Seed == other.Seed && Stop.SequenceEqual(other.Stop, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Temperature, TopP, TopK, MaxTokens, Seed, Stop.Count);
}

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

/// <summary>What went wrong, so that a caller (and the CLI's exit code) can tell the user what to do.</summary>
public enum ModelErrorKind
{
    /// <summary>The registry configuration is missing, malformed or names an unknown model.</summary>
    Configuration,

    /// <summary>The GGUF file does not exist.</summary>
    ModelFileMissing,

    /// <summary>The file is not a GGUF model the runtime can load.</summary>
    BadModelFormat,

    /// <summary>Not enough memory for the weights or the KV cache.</summary>
    OutOfMemory,

    /// <summary>Prompt plus token budget exceed the context length.</summary>
    ContextOverflow,

    /// <summary>Bad sampling options or arguments.</summary>
    InvalidRequest,

    /// <summary>The model server cannot be reached (after retries).</summary>
    Unreachable,

    /// <summary>The model server answered with an error.</summary>
    ServerError,

    /// <summary>The model server did not answer in time (after retries).</summary>
    Timeout,

    /// <summary>The runtime failed while generating.</summary>
    Runtime,
}

/// <summary>A model failure with a message a user can act on.</summary>
public sealed class ModelException : Exception
{
    public ModelException(ModelErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ModelException()
        : this(ModelErrorKind.Runtime, "model error")
    {
    }

    public ModelException(string message)
        : this(ModelErrorKind.Runtime, message)
    {
    }

    public ModelException(string message, Exception innerException)
        : this(ModelErrorKind.Runtime, message, innerException)
    {
    }

    public ModelErrorKind Kind { get; }

    /// <summary>True for errors the user fixes in their input or configuration (exit code 2 on the CLI).</summary>
    public bool IsUserError => Kind is ModelErrorKind.Configuration or ModelErrorKind.ModelFileMissing or ModelErrorKind.BadModelFormat
        or ModelErrorKind.ContextOverflow or ModelErrorKind.InvalidRequest;
}
