using Microsoft.Extensions.Logging;
using ProofAgent.Models;

namespace ProofAgent.Api.Tactics;

/// <summary>The model registry of the service (models/README.md), or none when no registry file is configured.</summary>
public sealed class ModelHub : IAsyncDisposable
{
    private readonly ModelRegistry? _registry;

    public ModelHub(ApiOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ModelConfiguration.Locate(options.ModelsPath) is { } path)
        {
            Configuration = ModelConfiguration.Load(path);
            _registry = new ModelRegistry(Configuration, options.ModelRuntimes, loggers);
        }
    }

    public ModelConfiguration? Configuration { get; }

    /// <summary>The registry names, ordinal order.</summary>
    public IReadOnlyList<string> Names =>
        Configuration is null ? [] : [.. Configuration.Models.Select(m => m.Name).Order(StringComparer.Ordinal)];

    public bool Has(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Why <paramref name="name"/> cannot be used, or null when it can.</summary>
    public string? Problem(string name) => _registry is null
        ? $"model '{name}': no model registry is configured ({ModelRegistry.Describe()})"
        : Has(name) ? null : $"model '{name}' is not in the registry; known: {string.Join(", ", Names)}";

    public Task<LanguageModel> GetAsync(string name, CancellationToken cancellationToken) =>
        (_registry ?? throw new InvalidOperationException(Problem(name))).GetAsync(name, cancellationToken);

    public ValueTask DisposeAsync() => _registry?.DisposeAsync() ?? ValueTask.CompletedTask;
}
