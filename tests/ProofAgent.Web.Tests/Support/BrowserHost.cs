namespace ProofAgent.Web.Tests.Support;

/// <summary>
/// One <c>agent serve</c> and one Chromium for the browser tests, started on first use (so that skipped tests start
/// nothing) and stopped after the last test. The browser tests share the "browser" collection: they run one at a
/// time, which keeps a 2-core CI machine from running two browsers and two searches at once.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AgentServer? _server;
    private Chromium? _chromium;

    public async Task<(AgentServer Server, Chromium Chromium)> StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _server ??= await AgentServer.StartAsync();
            _chromium ??= await Chromium.LaunchAsync();
            return (_server, _chromium);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>;
