using System.Globalization;
using System.Text.Json;

namespace ProofAgent.Models;

/// <summary>Which runtime serves a model.</summary>
public static class RuntimeNames
{
    /// <summary>A GGUF file loaded in process (LLamaSharp / llama.cpp).</summary>
    public const string Gguf = "gguf";

    /// <summary>An OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama).</summary>
    public const string OpenAI = "openai";
}

/// <summary>How the OpenAI runtime draws n samples.</summary>
public enum OpenAIBatching
{
    /// <summary>n requests with n = 1 and seeds Seed + i, at most <see cref="ModelSpec.Parallel"/> at a time.</summary>
    Parallel,

    /// <summary>One request with the <c>n</c> parameter and one seed (the server batches; per-sample seeds are the server's).</summary>
    N,
}

/// <summary>Which OpenAI-compatible endpoint the runtime posts to.</summary>
public enum OpenAIEndpoint
{
    /// <summary><c>POST {baseUrl}completions</c> with the prompt text (the format applies the chat template).</summary>
    Completions,

    /// <summary><c>POST {baseUrl}chat/completions</c> with the chat turns (the server applies the model's template; tool calls work here).</summary>
    Chat,
}

/// <summary>One model of the registry (see models/README.md for the JSON format).</summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }

    /// <summary><see cref="RuntimeNames.Gguf"/> or <see cref="RuntimeNames.OpenAI"/>.</summary>
    public required string Runtime { get; init; }

    /// <summary>gguf: absolute path of the model file.</summary>
    public string? Path { get; init; }

    /// <summary>openai: base URL including the version segment, e.g. http://127.0.0.1:8000/v1.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>openai: the server's model id.</summary>
    public string? ServedModel { get; init; }

    /// <summary>openai: the environment variable that holds the API key, if the server wants one.</summary>
    public string? ApiKeyEnvironmentVariable { get; init; }

    /// <summary>Longest prompt plus completion of one sample, in tokens.</summary>
    public int ContextLength { get; init; } = 4096;

    /// <summary>Prompt format id (see <see cref="PromptFormat.Ids"/>).</summary>
    public string PromptFormat { get; init; } = ProofAgent.Models.PromptFormat.RawId;

    /// <summary>gguf: layers to offload to the GPU (needs a GPU backend package; ignored by the CPU backend).</summary>
    public int GpuLayers { get; init; }

    /// <summary>gguf: sequences decoded together; openai: concurrent requests.</summary>
    public int Parallel { get; init; } = 8;

    /// <summary>gguf: CPU threads (null: llama.cpp's default).</summary>
    public int? Threads { get; init; }

    public OpenAIBatching Batching { get; init; } = OpenAIBatching.Parallel;

    /// <summary>openai: the endpoint (default: chat for the <c>chat</c> format, completions for the others).</summary>
    public OpenAIEndpoint Endpoint { get; init; } = OpenAIEndpoint.Completions;

    /// <summary>openai: per-attempt timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>openai: retries after the first attempt for connection failures, timeouts, 429 and 5xx.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>openai: first retry delay (exponential backoff with jitter).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Default sampling of this model.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Default;

    /// <summary>Where the weights or the server are, for messages and listings.</summary>
    public string Source => Runtime == RuntimeNames.Gguf ? Path ?? "" : $"{BaseUrl} model {ServedModel}";
}

/// <summary>
/// The model registry configuration: a JSON file whose path comes from <c>--models FILE</c> or the environment variable
/// <see cref="EnvironmentVariable"/>. Relative GGUF paths are resolved against the file's folder.
/// </summary>
public sealed record ModelConfiguration(string? SourcePath, IReadOnlyList<ModelSpec> Models)
{
    public const string EnvironmentVariable = "PROOFAGENT_MODELS";

    public static ModelConfiguration Empty { get; } = new(null, []);

    /// <summary>The configuration path: the explicit one, else <see cref="EnvironmentVariable"/>, else null.</summary>
    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return explicitPath;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
    }

    /// <summary>Loads and validates a configuration file; every problem is a <see cref="ModelErrorKind.Configuration"/> error naming the file and field.</summary>
    public static ModelConfiguration Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ModelException(ModelErrorKind.Configuration, $"cannot read the model registry '{path}': {exception.Message}", exception);
        }

        var full = System.IO.Path.GetFullPath(path);
        return Parse(text, full, System.IO.Path.GetDirectoryName(full) ?? Environment.CurrentDirectory);
    }

    /// <summary>Parses configuration JSON; <paramref name="baseDirectory"/> resolves relative GGUF paths.</summary>
    public static ModelConfiguration Parse(string json, string sourceName, string baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw Error(sourceName, $"is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}): {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                throw Error(sourceName, "must be a JSON object with a \"models\" array");
            }

            var specs = new List<ModelSpec>();
            var index = 0;
            foreach (var element in models.EnumerateArray())
            {
                specs.Add(ParseModel(element, $"{sourceName}: models[{index}]", baseDirectory));
                index++;
            }

            var duplicate = specs.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw Error(sourceName, $"names model '{duplicate.Key}' {duplicate.Count()} times; names must be unique");
            }

            return new ModelConfiguration(sourceName, [.. specs.OrderBy(s => s.Name, StringComparer.Ordinal)]);
        }
    }

    private static ModelSpec ParseModel(JsonElement element, string where, string baseDirectory)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(where, "must be an object");
        }

        string[] known = ["name", "runtime", "path", "baseUrl", "model", "apiKeyEnv", "contextLength", "promptFormat", "gpuLayers", "parallel",
            "threads", "batching", "endpoint", "timeoutSeconds", "retries", "retryDelayMs", "sampling"];
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Error(where, $"has unknown field \"{property.Name}\" (known: {string.Join(", ", known)})");
            }
        }

        var name = RequiredString(element, "name", where);
        where = $"{where} ('{name}')";
        var runtime = RequiredString(element, "runtime", where);
        var spec = new ModelSpec { Name = name, Runtime = runtime };
        switch (runtime)
        {
            case RuntimeNames.Gguf:
                var path = RequiredString(element, "path", where);
                spec = spec with { Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path)) };
                break;
            case RuntimeNames.OpenAI:
                var url = RequiredString(element, "baseUrl", where);
                if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
                {
                    throw Error(where, $"field \"baseUrl\" must be an http(s) URL, got '{url}'");
                }

                spec = spec with
                {
                    BaseUrl = baseUrl,
                    ServedModel = RequiredString(element, "model", where),
                    ApiKeyEnvironmentVariable = OptionalString(element, "apiKeyEnv", where),
                };
                break;
            default:
                throw Error(where, $"field \"runtime\" must be \"{RuntimeNames.Gguf}\" or \"{RuntimeNames.OpenAI}\", got '{runtime}'");
        }

        var format = OptionalString(element, "promptFormat", where) ?? ProofAgent.Models.PromptFormat.RawId;
        if (!ProofAgent.Models.PromptFormat.Ids.Contains(format, StringComparer.Ordinal))
        {
            throw Error(where, $"field \"promptFormat\" must be one of {string.Join(", ", ProofAgent.Models.PromptFormat.Ids)}, got '{format}'");
        }

        var batching = OptionalString(element, "batching", where) ?? "parallel";
        var formatDefaults = ProofAgent.Models.PromptFormat.Get(format);
        var endpoint = OptionalString(element, "endpoint", where) ?? (format == ProofAgent.Models.PromptFormat.ChatId ? "chat" : "completions");
        spec = spec with
        {
            PromptFormat = format,
            ContextLength = OptionalInt(element, "contextLength", where, 16, 10_000_000) ?? formatDefaults.DefaultContextLength,
            Endpoint = endpoint switch
            {
                "completions" => OpenAIEndpoint.Completions,
                "chat" => OpenAIEndpoint.Chat,
                _ => throw Error(where, $"field \"endpoint\" must be \"completions\" or \"chat\", got '{endpoint}'"),
            },
            GpuLayers = OptionalInt(element, "gpuLayers", where, -1, 100_000) ?? 0,
            Parallel = OptionalInt(element, "parallel", where, 1, 1024) ?? spec.Parallel,
            Threads = OptionalInt(element, "threads", where, 1, 1024),
            Batching = batching switch
            {
                "parallel" => OpenAIBatching.Parallel,
                "n" => OpenAIBatching.N,
                _ => throw Error(where, $"field \"batching\" must be \"parallel\" or \"n\", got '{batching}'"),
            },
            RequestTimeout = OptionalDouble(element, "timeoutSeconds", where, 0.001, 86_400) is { } seconds ? TimeSpan.FromSeconds(seconds) : spec.RequestTimeout,
            Retries = OptionalInt(element, "retries", where, 0, 100) ?? spec.Retries,
            RetryDelay = OptionalInt(element, "retryDelayMs", where, 1, 600_000) is { } ms ? TimeSpan.FromMilliseconds(ms) : spec.RetryDelay,
            Sampling = element.TryGetProperty("sampling", out var sampling) ? ParseSampling(sampling, where + ".sampling", formatDefaults.DefaultSampling) : formatDefaults.DefaultSampling,
        };
        return spec;
    }

    private static SamplingOptions ParseSampling(JsonElement element, string where, SamplingOptions defaults)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(where, "must be an object");
        }

        string[] known = ["temperature", "topP", "topK", "maxTokens", "seed", "stop"];
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Error(where, $"has unknown field \"{property.Name}\" (known: {string.Join(", ", known)})");
            }
        }

        var options = defaults;
        options = OptionalDouble(element, "temperature", where, 0, 100) is { } t ? options.WithTemperature(t) : options;
        options = OptionalDouble(element, "topP", where, 1e-9, 1) is { } p ? options.WithTopP(p) : options;
        options = OptionalInt(element, "topK", where, 0, 1_000_000) is { } k ? options.WithTopK(k) : options;
        options = OptionalInt(element, "maxTokens", where, 1, 1_000_000) is { } m ? options.WithMaxTokens(m) : options;
        if (element.TryGetProperty("seed", out var seed))
        {
            options = seed.ValueKind == JsonValueKind.Number && seed.TryGetInt64(out var s) ? options.WithSeed(s) : throw Error(where, "field \"seed\" must be an integer");
        }

        if (element.TryGetProperty("stop", out var stop))
        {
            if (stop.ValueKind != JsonValueKind.Array || stop.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || e.GetString()!.Length == 0))
            {
                throw Error(where, "field \"stop\" must be an array of non-empty strings");
            }

            options = options.WithStop(stop.EnumerateArray().Select(e => e.GetString()!));
        }

        return options;
    }

    private static string RequiredString(JsonElement element, string field, string where) =>
        OptionalString(element, field, where) ?? throw Error(where, $"needs the field \"{field}\"");

    private static string? OptionalString(JsonElement element, string field, string where) =>
        Present(element, field) is not { } value ? null
        : value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text
        : throw Error(where, $"field \"{field}\" must be a non-empty string");

    private static int? OptionalInt(JsonElement element, string field, string where, int min, int max) =>
        Present(element, field) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max ? number
        : throw Error(where, $"field \"{field}\" must be an integer in [{min}, {max}], got {value.GetRawText()}");

    private static double? OptionalDouble(JsonElement element, string field, string where, double min, double max) =>
        Present(element, field) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max ? number
        : throw Error(where, $"field \"{field}\" must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got {value.GetRawText()}");

    /// <summary>The field's value; null when it is absent or JSON <c>null</c> (both mean "use the default").</summary>
    private static JsonElement? Present(JsonElement element, string field) =>
        element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static ModelException Error(string where, string message) =>
        new(ModelErrorKind.Configuration, $"model registry {where} {message}");
}
