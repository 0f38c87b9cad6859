using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ProofAgent.Models;

/// <summary>The <see cref="RuntimeNames.OpenAI"/> runtime: any server speaking the OpenAI <c>/completions</c> API.</summary>
public sealed class OpenAICompatibleRuntime(Func<HttpClient>? httpClientFactory = null) : IModelRuntime
{
    public string Name => RuntimeNames.OpenAI;

    public Task<IGenerationEngine> LoadAsync(ModelSpec spec, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var http = httpClientFactory?.Invoke() ?? new HttpClient();
        return Task.FromResult<IGenerationEngine>(new OpenAICompatibleEngine(spec, http, loggerFactory.CreateLogger<OpenAICompatibleEngine>()));
    }
}

/// <summary>
/// Samples from an OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama) through <c>POST {baseUrl}completions</c>.
/// n samples are either n parallel requests with seeds Seed + i (at most <see cref="ModelSpec.Parallel"/> in flight) or one
/// request with the <c>n</c> parameter. Connection failures, per-attempt timeouts, 429 and 5xx are retried with exponential
/// backoff (Polly); what remains becomes a <see cref="ModelException"/> that says what to check.
/// </summary>
public sealed class OpenAICompatibleEngine : IChatGenerationEngine
{
    private readonly ModelSpec _spec;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _concurrency;
    private readonly Uri _completions;
    private readonly Uri _chat;

    public OpenAICompatibleEngine(ModelSpec spec, HttpClient http, ILogger<OpenAICompatibleEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _http = http;
        _logger = logger;
        _http.Timeout = Timeout.InfiniteTimeSpan; // per-attempt timeouts are Polly's
        _completions = new Uri(spec.BaseUrl ?? throw new ModelException(ModelErrorKind.Configuration, $"model '{spec.Name}' has no baseUrl"), "completions");
        _chat = new Uri(spec.BaseUrl, "chat/completions");
        _concurrency = new SemaphoreSlim(Math.Max(1, spec.Parallel));
        Identity = new ModelIdentity(spec.Name, RuntimeNames.OpenAI, spec.Source);
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = spec.Retries,
            Delay = spec.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>().Handle<RetryableStatusException>(),
            OnRetry = args =>
            {
                _logger.LogWarning("{Model}: attempt {Attempt} failed ({Error}); retrying in {Delay} ms", spec.Name, args.AttemptNumber + 1,
                    args.Outcome.Exception?.Message, (long)args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        };
        var builder = new ResiliencePipelineBuilder();
        if (spec.Retries > 0)
        {
            builder.AddRetry(retry);
        }

        _pipeline = builder.AddTimeout(spec.RequestTimeout).Build();
    }

    public ModelIdentity Identity { get; }

    public int ContextLength => _spec.ContextLength;

    public bool PrefersChat => _spec.Endpoint == OpenAIEndpoint.Chat;

    public Task<IReadOnlyList<Completion>> SampleAsync(string prompt, int n, SamplingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return SampleManyAsync(n, options, (count, seed, stream) => Body(prompt, count, options, seed, stream), _completions, "text", cancellationToken);
    }

    public Task<IReadOnlyList<Completion>> SampleChatAsync(IReadOnlyList<ChatTurn> turns, int n, SamplingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var messages = new JsonArray([.. turns.Select(t => (JsonNode)new JsonObject { ["role"] = t.Role, ["content"] = t.Content })]);
        return SampleManyAsync(n, options, (count, seed, stream) => ChatBody(messages.DeepClone().AsArray(), count, options, seed), _chat, "message", cancellationToken);
    }

    /// <summary>Posts one <c>chat/completions</c> body as it is (tools included), with the runtime's retries; for the tool-calling chat client.</summary>
    internal async Task<JsonNode> PostChatAsync(JsonObject body, CancellationToken cancellationToken)
    {
        body["model"] = _spec.ServedModel;
        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PostAsync(_chat, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    internal ModelSpec Spec => _spec;

    private async Task<IReadOnlyList<Completion>> SampleManyAsync(
        int n, SamplingOptions options, Func<int, long?, bool, JsonObject> body, Uri endpoint, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (_spec.Batching == OpenAIBatching.N && n > 1)
        {
            var started = Stopwatch.GetTimestamp();
            await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var response = await PostAsync(endpoint, body(n, options.Seed, false), cancellationToken).ConfigureAwait(false);
                return Parse(response, n, seedOf: _ => null, Stopwatch.GetElapsedTime(started), field);
            }
            finally
            {
                _concurrency.Release();
            }
        }

        var tasks = Enumerable.Range(0, n).Select(async i =>
        {
            await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var response = await PostAsync(endpoint, body(1, options.SeedFor(i), false), cancellationToken).ConfigureAwait(false);
                var completion = Parse(response, 1, seedOf: _ => options.SeedFor(i), Stopwatch.GetElapsedTime(started), field)[0];
                return completion with { Index = i };
            }
            finally
            {
                _concurrency.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<string> StreamAsync(string prompt, SamplingOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var body = Body(prompt, 1, options, options.Seed, stream: true);
            using var response = await SendAsync(_completions, body, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line["data:".Length..].Trim();
                if (data == "[DONE]")
                {
                    yield break;
                }

                var chunk = ParseJson(data, "stream chunk");
                if (chunk["error"] is JsonNode error)
                {
                    throw new ModelException(ModelErrorKind.ServerError, $"{Where} failed while streaming: {error.ToJsonString()}");
                }

                var text = chunk["choices"]?[0]?["text"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(text))
                {
                    yield return text;
                }
            }

            throw new ModelException(ModelErrorKind.ServerError, $"{Where} closed the stream without 'data: [DONE]'");
        }
        finally
        {
            _concurrency.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _concurrency.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Where => $"the OpenAI-compatible server of model '{_spec.Name}' ({_spec.BaseUrl})";

    private JsonObject ChatBody(JsonArray messages, int n, SamplingOptions options, long? seed)
    {
        var body = Body(prompt: null, n, options, seed, stream: false);
        body.Remove("prompt");
        body["messages"] = messages;
        return body;
    }

    private JsonObject Body(string? prompt, int n, SamplingOptions options, long? seed, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = _spec.ServedModel,
            ["prompt"] = prompt,
            ["n"] = n,
            ["max_tokens"] = options.MaxTokens,
            ["temperature"] = options.Temperature,
            ["top_p"] = options.TopP,
            ["stream"] = stream,
        };
        if (seed is { } s)
        {
            body["seed"] = s;
        }

        if (options.TopK > 0)
        {
            body["top_k"] = options.TopK;
        }

        if (options.Stop.Count > 0)
        {
            body["stop"] = new JsonArray([.. options.Stop.Select(x => (JsonNode)JsonValue.Create(x))]);
        }

        if (stream)
        {
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return body;
    }

    private async Task<JsonNode> PostAsync(Uri endpoint, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(endpoint, body, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ParseJson(text, "response");
    }

    /// <summary>Sends with retries; returns a successful response (the caller disposes it) or throws a <see cref="ModelException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri endpoint, JsonObject body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        try
        {
            return await _pipeline.ExecuteAsync(async ct =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                if (_spec.ApiKeyEnvironmentVariable is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } key)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                var response = await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                using (response)
                {
                    var error = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    var message = ErrorMessage(error);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                    {
                        throw new RetryableStatusException(response.StatusCode, message);
                    }

                    var overflow = message.Contains("context length", StringComparison.OrdinalIgnoreCase)
                        || message.Contains("maximum context", StringComparison.OrdinalIgnoreCase)
                        || message.Contains("context_length", StringComparison.OrdinalIgnoreCase);
                    throw new ModelException(
                        overflow ? ModelErrorKind.ContextOverflow : ModelErrorKind.InvalidRequest,
                        $"{Where} rejected the request ({(int)response.StatusCode} {response.StatusCode}): {message}");
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelException(ModelErrorKind.Unreachable,
                $"cannot reach {Where} after {_spec.Retries + 1} attempt(s): {exception.Message}. Is the server running (e.g. `vllm serve MODEL`, `llama-server -m FILE`) and is baseUrl right?", exception);
        }
        catch (TimeoutRejectedException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelException(ModelErrorKind.Timeout,
                $"{Where} did not answer within {_spec.RequestTimeout.TotalSeconds:0.###} s in {_spec.Retries + 1} attempt(s); raise timeoutSeconds or lower n/maxTokens", exception);
        }
        catch (RetryableStatusException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelException(ModelErrorKind.ServerError,
                $"{Where} failed {_spec.Retries + 1} time(s); last answer {(int)exception.Status} {exception.Status}: {exception.Message}", exception);
        }
    }

    private IReadOnlyList<Completion> Parse(JsonNode response, int n, Func<int, long?> seedOf, TimeSpan elapsed, string field)
    {
        if (response["choices"] is not JsonArray choices || choices.Count != n)
        {
            throw new ModelException(ModelErrorKind.ServerError, $"{Where} answered without {n} choice(s): {Truncate(response.ToJsonString())}");
        }

        var promptTokens = response["usage"]?["prompt_tokens"]?.GetValue<int>() ?? 0;
        var completionTokens = response["usage"]?["completion_tokens"]?.GetValue<int>();
        var completions = new List<Completion>(n);
        for (var position = 0; position < n; position++)
        {
            var choice = choices[position]!;
            var index = choice["index"]?.GetValue<int>() ?? position;
            var text = (field == "message" ? TextOf(choice["message"]?["content"]) : TextOf(choice["text"]))
                ?? throw new ModelException(ModelErrorKind.ServerError, $"{Where} answered a choice without {(field == "message" ? "message content" : "text")}: {Truncate(choice.ToJsonString())}");
            // "stop" covers both a stop sequence and the end-of-sequence token; vLLM (stop_reason) and SGLang (matched_stop)
            // name the stop string when one matched.
            var finish = choice["finish_reason"]?.GetValue<string>() switch
            {
                "length" => FinishReason.Length,
                "stop" when IsString(choice["stop_reason"]) || IsString(choice["matched_stop"]) => FinishReason.Stop,
                _ => FinishReason.EndOfSequence,
            };
            completions.Add(new Completion(index, text, finish, seedOf(index), promptTokens, n == 1 ? completionTokens : null, elapsed));
        }

        return [.. completions.OrderBy(c => c.Index)];
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out _);

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private JsonNode ParseJson(string text, string what)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new JsonException("null");
        }
        catch (JsonException exception)
        {
            throw new ModelException(ModelErrorKind.ServerError, $"{Where} sent a {what} that is not JSON: {Truncate(text)}", exception);
        }
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return node?["error"]?["message"]?.GetValue<string>() ?? node?["error"]?.ToJsonString() ?? node?["message"]?.GetValue<string>() ?? Truncate(body);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return Truncate(body);
        }
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "...";

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken) =>
        await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);

    private sealed class RetryableStatusException(HttpStatusCode status, string message) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;
    }
}
