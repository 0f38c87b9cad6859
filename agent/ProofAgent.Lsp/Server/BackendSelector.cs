using ProofAgent.Lsp.Backends;

namespace ProofAgent.Lsp.Server;

/// <summary>
/// Which backend serves the current settings: the service named by <c>serviceUrl</c> (one client per URL and key), else the
/// in-process one, built on first use (building it starts nothing, but it needs the sandbox; a failure becomes the message of
/// every check until the settings change).
/// </summary>
internal sealed class BackendSelector(Func<IProofBackend> createLocal) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IProofBackend> _retired = [];
    private Lazy<IProofBackend>? _local;
    private (Uri Url, string? Key, ServiceBackend Backend)? _service;

    public IProofBackend For(LspSettings settings)
    {
        lock (_gate)
        {
            if (settings.ServiceUrl is { } url)
            {
                if (_service is not { } current || current.Url != url || current.Key != settings.ApiKey)
                {
                    if (_service is { } old)
                    {
                        _retired.Add(old.Backend);
                    }

                    _service = (url, settings.ApiKey, new ServiceBackend(url, settings.ApiKey));
                }

                return _service.Value.Backend;
            }

            _local ??= new Lazy<IProofBackend>(createLocal, LazyThreadSafetyMode.ExecutionAndPublication);
            return _local.Value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<IProofBackend> all;
        lock (_gate)
        {
            all = [.. _retired];
            if (_service is { } service)
            {
                all.Add(service.Backend);
            }

            if (_local is { IsValueCreated: true } local)
            {
                all.Add(local.Value);
            }
        }

        foreach (var backend in all)
        {
            await backend.DisposeAsync();
        }
    }
}
