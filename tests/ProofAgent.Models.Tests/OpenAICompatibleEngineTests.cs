using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class OpenAICompatibleEngineTests(TinyModelFixture tiny) : IAsyncLifetime
{
    private static readonly SamplingOptions Options = SamplingOptions.Default.WithTemperature(1.2).WithTopP(1.0).WithMaxTokens(12).WithSeed(40);
    private LoopbackOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackOpenAIServer.StartAsync(tiny.Model.Engine);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task Should_draw_n_samples_as_parallel_requests_with_per_sample_seeds()
    {
        await using var model = await LoadAsync(Spec("v1/"));

        var remote = await model.SampleAsync(TinyModelFixture.Prompt, 3, Options);

        Assert.Equal(3, remote.Count);
        Assert.Equal([40L, 41L, 42L], remote.Select(c => c.Seed!.Value));
        for (var i = 0; i < 3; i++)
        {
            // Each request is one sample with seed 40 + i: the same text the engine draws directly for that seed.
            var direct = (await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 1, Options.WithSeed(40 + i)))[0];
            Assert.Equal(direct.Text, remote[i].Text);
            Assert.Equal(direct.CompletionTokens, remote[i].CompletionTokens);
            Assert.Equal(direct.PromptTokens, remote[i].PromptTokens);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_use_the_n_parameter_when_configured()
    {
        await using var model = await LoadAsync(Spec("v1/") with { Batching = OpenAIBatching.N });
        var before = _server.RequestCount;

        var remote = await model.SampleAsync(TinyModelFixture.Prompt, 4, Options);
        var direct = await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 4, Options);

        Assert.Equal(1, _server.RequestCount - before);
        Assert.Equal(direct.Select(c => c.Text), remote.Select(c => c.Text));
        Assert.All(remote, c => Assert.Null(c.Seed));
        Assert.All(remote, c => Assert.Null(c.CompletionTokens));
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_stream_completions_over_server_sent_events()
    {
        await using var model = await LoadAsync(Spec("v1/"));
        var chunks = new List<string>();

        await foreach (var chunk in model.Engine.StreamAsync(TinyModelFixture.Prompt, Options.WithMaxTokens(16), CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        var direct = (await tiny.Model.SampleAsync(TinyModelFixture.Prompt, 1, Options.WithMaxTokens(16)))[0];
        Assert.Equal(direct.Text, string.Concat(chunks));
        Assert.True(chunks.Count > 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_report_a_context_overflow_from_the_server()
    {
        await using var model = await LoadAsync(Spec("v1/"));

        var error = await Assert.ThrowsAsync<ModelException>(() => model.SampleAsync(string.Concat(Enumerable.Repeat("a b ", 200)), 1, Options.WithMaxTokens(300)));

        Assert.Equal(ModelErrorKind.ContextOverflow, error.Kind);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_retry_server_errors_with_backoff()
    {
        await using var model = await LoadAsync(Spec("flaky/v1/") with { Retries = 3, RetryDelay = TimeSpan.FromMilliseconds(20) });

        var completions = await model.SampleAsync(TinyModelFixture.Prompt, 1, Options);

        Assert.Single(completions);
        Assert.Equal(3, _server.FlakyRequests);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_give_up_on_a_server_that_fails_every_retry()
    {
        await using var model = await LoadAsync(Spec("flaky/v1/") with { Retries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<ModelException>(() => model.SampleAsync(TinyModelFixture.Prompt, 1, Options));

        Assert.Equal(ModelErrorKind.ServerError, error.Kind);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_time_out_a_server_that_does_not_answer()
    {
        await using var model = await LoadAsync(Spec("slow/v1/") with { RequestTimeout = TimeSpan.FromMilliseconds(200), Retries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<ModelException>(() => model.SampleAsync(TinyModelFixture.Prompt, 1, Options));

        Assert.Equal(ModelErrorKind.Timeout, error.Kind);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 60_000)]
    public async Task Should_say_a_server_is_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var model = await LoadAsync(Spec("v1/") with { BaseUrl = new Uri($"http://127.0.0.1:{port}/v1/"), Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<ModelException>(() => model.SampleAsync(TinyModelFixture.Prompt, 1, Options));

        Assert.Equal(ModelErrorKind.Unreachable, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt(s)", error.Message, StringComparison.Ordinal);
    }

    private ModelSpec Spec(string path) => new()
    {
        Name = "remote-tiny",
        Runtime = RuntimeNames.OpenAI,
        BaseUrl = new Uri(_server.BaseUrl, path),
        ServedModel = "tiny",
        ContextLength = 512,
        Parallel = 2,
        Sampling = Options,
    };

    private static async Task<LanguageModel> LoadAsync(ModelSpec spec) =>
        new(spec, await new OpenAICompatibleRuntime().LoadAsync(spec, NullLoggerFactory.Instance, CancellationToken.None));
}
