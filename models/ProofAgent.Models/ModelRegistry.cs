using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Models;

/// <summary>Creates engines for one runtime (<see cref="RuntimeNames"/>); another engine is added by adding a runtime.</summary>
public interface IModelRuntime
{
    /// <summary>The <c>runtime</c> value this factory serves.</summary>
    string Name { get; }

    /// <summary>Loads the model (or connects to its server); failures are <see cref="ModelException"/>s.</summary>
    Task<IGenerationEngine> LoadAsync(ModelSpec spec, ILoggerFactory loggerFactory, CancellationToken cancellationToken);
}

/// <summary>
/// A model ready for the agent: batched sampling with the model's default options, its prompt format, and an
/// <see cref="IChatClient"/> over the same engine.
/// </summary>
public sealed class LanguageModel : IAsyncDisposable
{
    public LanguageModel(ModelSpec spec, IGenerationEngine engine)
    {
        Spec = spec;
        Engine = engine;
        Format = PromptFormat.Get(spec.PromptFormat);
        ChatClient = engine is OpenAICompatibleEngine { PrefersChat: true } chat
            ? new OpenAIChatClient(chat, spec.Sampling)
            : new GenerationChatClient(engine, Format, spec.Sampling);
    }

    public ModelSpec Spec { get; }

    public IGenerationEngine Engine { get; }

    public PromptFormat Format { get; }

    /// <summary>The Microsoft.Extensions.AI seam (Semantic Kernel adapts it with <c>AsChatCompletionService()</c>).</summary>
    public IChatClient ChatClient { get; }

    public ModelIdentity Identity => Engine.Identity;

    /// <summary>Draws <paramref name="n"/> completions of <paramref name="prompt"/>; null options means the model's defaults.</summary>
    public Task<IReadOnlyList<Completion>> SampleAsync(string prompt, int n, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (n is < 1 or > 100_000)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"n must be in [1, 100000], got {n}");
        }

        return Engine.SampleAsync(prompt, n, (options ?? Spec.Sampling).Validate(), cancellationToken);
    }

    /// <summary>
    /// Draws <paramref name="n"/> answers to <paramref name="prompt"/> in one batched call: its chat turns when the model is
    /// served through a chat API, else its text (the format's template applied). The format's stop sequences are added.
    /// </summary>
    public Task<IReadOnlyList<Completion>> SampleAsync(ModelPrompt prompt, int n, SamplingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (n is < 1 or > 100_000)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"n must be in [1, 100000], got {n}");
        }

        var sampling = options ?? Spec.Sampling;
        sampling = sampling.WithStop(sampling.Stop.Concat(Format.StopSequences).Distinct(StringComparer.Ordinal)).Validate();
        return Engine is IChatGenerationEngine { PrefersChat: true } chat
            ? chat.SampleChatAsync(prompt.Turns, n, sampling, cancellationToken)
            : Engine.SampleAsync(prompt.Text, n, sampling, cancellationToken);
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}

/// <summary>
/// Named models from a <see cref="ModelConfiguration"/>. Models load lazily on first lookup and stay loaded until the
/// registry is disposed. Thread-safe.
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, IModelRuntime> _runtimes;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Dictionary<string, Task<LanguageModel>> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ModelRegistry(ModelConfiguration configuration, IEnumerable<IModelRuntime> runtimes, ILoggerFactory? loggerFactory = null)
    {
        Configuration = configuration;
        _runtimes = runtimes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    public ModelConfiguration Configuration { get; }

    /// <summary>The configured models, ordered by name (ordinal).</summary>
    public IReadOnlyList<ModelSpec> Models => Configuration.Models;

    /// <summary>The spec named <paramref name="name"/>, or a <see cref="ModelErrorKind.Configuration"/> error listing the known names.</summary>
    public ModelSpec Find(string name) =>
        Configuration.Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal))
        ?? throw new ModelException(ModelErrorKind.Configuration, Configuration.Models.Count == 0
            ? $"no model named '{name}': no model registry is configured ({Describe()})"
            : $"no model named '{name}' in {Configuration.SourcePath}; configured: {string.Join(", ", Configuration.Models.Select(m => m.Name))}");

    /// <summary>Loads (once) and returns the model named <paramref name="name"/>.</summary>
    public async Task<LanguageModel> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var spec = Find(name);
        if (!_runtimes.TryGetValue(spec.Runtime, out var runtime))
        {
            throw new ModelException(ModelErrorKind.Configuration, $"model '{name}' uses runtime '{spec.Runtime}', which this program does not include (available: {string.Join(", ", _runtimes.Keys.Order(StringComparer.Ordinal))})");
        }

        Task<LanguageModel> loading;
        lock (_gate)
        {
            if (!_loaded.TryGetValue(name, out loading!) || loading.IsFaulted || loading.IsCanceled)
            {
                loading = LoadAsync(runtime, spec, cancellationToken);
                _loaded[name] = loading;
            }
        }

        return await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How to configure a registry, for messages.</summary>
    public static string Describe() =>
        $"pass --models FILE or set {ModelConfiguration.EnvironmentVariable} to a JSON file such as "
        + "{\"models\": [{\"name\": \"prover\", \"runtime\": \"gguf\", \"path\": \"prover.gguf\", \"promptFormat\": \"deepseek-prover-v2\"}]}; see models/README.md";

    public async ValueTask DisposeAsync()
    {
        Task<LanguageModel>[] loaded;
        lock (_gate)
        {
            loaded = [.. _loaded.Values];
            _loaded.Clear();
        }

        foreach (var task in loaded.Where(t => t.IsCompletedSuccessfully))
        {
            await task.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<LanguageModel> LoadAsync(IModelRuntime runtime, ModelSpec spec, CancellationToken cancellationToken)
    {
        var engine = await runtime.LoadAsync(spec, _loggerFactory, cancellationToken).ConfigureAwait(false);
        return new LanguageModel(spec, engine);
    }
}
