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

    /// <summary>
    /// A GBNF grammar the output must follow (llama.cpp's constrained decoding, root rule <c>root</c>); the in-process
    /// runtime honours it (tool calls of the chat adapter), the HTTP runtime ignores it.
    /// </summary>
    public string? Grammar { get; init; }

    public SamplingOptions WithGrammar(string? grammar) => this with { Grammar = grammar };

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
        && MaxTokens == other.MaxTokens && Seed == other.Seed && Stop.SequenceEqual(other.Stop, StringComparer.Ordinal)
        && string.Equals(Grammar, other.Grammar, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Temperature, TopP, TopK, MaxTokens, Seed, Stop.Count);
}
