using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using LLama.Sampling;
using Microsoft.Extensions.Logging;

namespace ProofAgent.Models.LlamaCpp;

/// <summary>The <see cref="RuntimeNames.Gguf"/> runtime: GGUF files loaded in process by LLamaSharp (llama.cpp).</summary>
public sealed class LlamaCppRuntime : IModelRuntime
{
    public string Name => RuntimeNames.Gguf;

    public async Task<IGenerationEngine> LoadAsync(ModelSpec spec, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return await LlamaCppEngine.LoadAsync(spec, loggerFactory.CreateLogger<LlamaCppEngine>(), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Batched n-sampling with llama.cpp: the prompt is decoded once, then forked into up to <see cref="ModelSpec.Parallel"/>
/// sequences that share its KV cells and are decoded together, one token per sequence per step, each with its own sampler
/// seeded Seed + i. More samples than <see cref="ModelSpec.Parallel"/> run in waves. One request runs at a time per engine
/// (requests queue); cancellation stops generation between steps and discards the context's state.
/// </summary>
public sealed class LlamaCppEngine : IGenerationEngine
{
    private readonly ModelSpec _spec;
    private readonly LLamaWeights _weights;
    private readonly ModelParams _parameters;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BatchedExecutor? _executor;
    private bool _disposed;

    private LlamaCppEngine(ModelSpec spec, LLamaWeights weights, ModelParams parameters, ILogger logger)
    {
        _spec = spec;
        _weights = weights;
        _parameters = parameters;
        _logger = logger;
        Identity = new ModelIdentity(spec.Name, RuntimeNames.Gguf, spec.Source);
    }

    public ModelIdentity Identity { get; }

    public int ContextLength => _spec.ContextLength;

    /// <summary>Parameters the file declares: trained context, layers, embedding width, vocabulary size, parameter count.</summary>
    public string Description => $"{_weights.NativeHandle.Description}; {_weights.ParameterCount} parameters; vocabulary {_weights.Vocab.Count}; trained context {_weights.ContextSize}";

    /// <summary>Loads a GGUF model; every failure is a <see cref="ModelException"/> that says what to fix.</summary>
    public static async Task<LlamaCppEngine> LoadAsync(ModelSpec spec, ILogger<LlamaCppEngine> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = spec.Path ?? throw new ModelException(ModelErrorKind.Configuration, $"model '{spec.Name}' has no GGUF path");
        CheckFile(spec.Name, path, spec.GpuLayers);
        NativeLog.Install(logger);
        var parameters = new ModelParams(path)
        {
            ContextSize = checked((uint)Math.Max(spec.ContextLength, spec.ContextLength * (long)spec.Parallel)),
            GpuLayerCount = spec.GpuLayers,
            SeqMax = (uint)spec.Parallel + 1,
            KVUnified = true, // the forks share the prompt's cells
            BatchSize = (uint)Math.Clamp(spec.ContextLength, 64, 2048),
        };
        if (spec.Threads is { } threads)
        {
            parameters.Threads = threads;
            parameters.BatchThreads = threads;
        }

        var mark = NativeLog.Mark();
        LLamaWeights weights;
        try
        {
            weights = await LLamaWeights.LoadFromFileAsync(parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (LoadWeightsFailedException exception)
        {
            throw new ModelException(ModelErrorKind.BadModelFormat,
                $"llama.cpp could not load '{path}' (model '{spec.Name}'): {NativeLog.ErrorsSince(mark, "no details")}. "
                + "Is it a complete GGUF of an architecture llama.cpp supports (re-download or re-convert with convert_hf_to_gguf.py)?", exception);
        }

        var engine = new LlamaCppEngine(spec, weights, parameters, logger);
        try
        {
            engine.Executor();
        }
        catch
        {
            weights.Dispose();
            throw;
        }

        logger.LogInformation("Loaded {Model}: {Description}", spec.Name, engine.Description);
        return engine;
    }

    public async Task<IReadOnlyList<Completion>> SampleAsync(string prompt, int n, SamplingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        if (n < 1)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, $"n must be at least 1, got {n}");
        }

        return await GenerateAsync(prompt, n, options.Validate(), onText: null, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<string> StreamAsync(string prompt, SamplingOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                await GenerateAsync(prompt, 1, options, (_, text) => channel.Writer.TryWrite(text), stop.Token).ConfigureAwait(false);
                channel.Writer.TryComplete();
            }
#pragma warning disable CA1031 // The producer's failure is handed to the consumer through the channel.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                channel.Writer.TryComplete(exception);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var text in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return text;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early.
            }
        }
    }

    /// <summary>Token count of <paramref name="text"/> as this model tokenizes a prompt.</summary>
    public int CountTokens(string text) => Tokenize(text).Length;

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _executor?.Dispose();
            _executor = null;
            _weights.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void CheckFile(string name, string path, int gpuLayers)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ModelException(ModelErrorKind.ModelFileMissing, Directory.Exists(path)
                ? $"the GGUF path '{path}' of model '{name}' is a directory; point \"path\" at the .gguf file"
                : $"the GGUF file '{path}' of model '{name}' does not exist; download or convert the model (e.g. a Q4_K_M/Q8_0 GGUF of DeepSeek-Prover-V2-7B) or fix \"path\" in the model registry");
        }

        Span<byte> header = stackalloc byte[8];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < 8 || !header[..4].SequenceEqual("GGUF"u8))
        {
            var start = Convert.ToHexString(header[..read]);
            throw new ModelException(ModelErrorKind.BadModelFormat,
                $"'{path}' (model '{name}') is not a GGUF file: it starts with 0x{start}, not 'GGUF'. Convert safetensors/PyTorch weights with llama.cpp's convert_hf_to_gguf.py");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version is < 2 or > 3)
        {
            throw new ModelException(ModelErrorKind.BadModelFormat, $"'{path}' (model '{name}') is GGUF version {version}; this runtime reads versions 2 and 3");
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (gpuLayers == 0 && available > 0 && info.Length > available)
        {
            throw new ModelException(ModelErrorKind.OutOfMemory,
                $"model '{name}' needs {info.Length / (1 << 20)} MiB for its weights but only {available / (1 << 20)} MiB of memory is available; use a smaller quantization or offload layers with gpuLayers");
        }
    }

    private BatchedExecutor Executor()
    {
        if (_executor is not null)
        {
            return _executor;
        }

        var mark = NativeLog.Mark();
        try
        {
            _executor = new BatchedExecutor(_weights, _parameters);
        }
        catch (RuntimeError exception)
        {
            throw new ModelException(ModelErrorKind.OutOfMemory,
                $"llama.cpp could not create a context of {_parameters.ContextSize} tokens for model '{_spec.Name}' ({NativeLog.ErrorsSince(mark, exception.Message)}); "
                + "lower contextLength or parallel (the KV cache holds contextLength x parallel tokens)", exception);
        }

        return _executor;
    }

    private void ResetExecutor()
    {
        _executor?.Dispose();
        _executor = null;
    }

    private LLamaToken[] Tokenize(string text) => _weights.Tokenize(text, _weights.Vocab.ShouldAddBOS, special: true, Encoding.UTF8);

    private async Task<IReadOnlyList<Completion>> GenerateAsync(string prompt, int n, SamplingOptions options, Action<int, string>? onText, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var tokens = Tokenize(prompt);
            if (tokens.Length + options.MaxTokens > _spec.ContextLength)
            {
                throw new ModelException(ModelErrorKind.ContextOverflow,
                    $"the prompt is {tokens.Length} tokens and maxTokens is {options.MaxTokens}, together more than the context length {_spec.ContextLength} of model '{_spec.Name}'; shorten the prompt, lower maxTokens or raise contextLength");
            }

            var results = new Completion[n];
            try
            {
                for (var start = 0; start < n; start += _spec.Parallel)
                {
                    var count = Math.Min(_spec.Parallel, n - start);
                    await RunWaveAsync(tokens, start, count, options, results, onText, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                // A cancelled or failed wave may leave queued tokens and cells behind: start the next request on a fresh context.
                ResetExecutor();
                throw;
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RunWaveAsync(LLamaToken[] prompt, int start, int count, SamplingOptions options, Completion[] results, Action<int, string>? onText, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var executor = Executor();
        var sequences = new List<Sequence>(count);
        try
        {
            var root = executor.Create();
            root.Prompt(prompt);
            await InferAsync(executor, cancellationToken).ConfigureAwait(false);
            var holdBack = options.Stop.Count == 0 ? 0 : options.Stop.Max(s => s.Length) - 1;
            for (var i = 0; i < count; i++)
            {
                var conversation = i == 0 ? root : root.Fork();
                sequences.Add(new Sequence(start + i, conversation, options, _weights));
            }

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var sequence in sequences.Where(s => s.Finish is null))
                {
                    var token = sequence.Conversation.Sample(sequence.Sampler);
                    if (token.IsEndOfGeneration(_weights.Vocab))
                    {
                        sequence.Finish = FinishReason.EndOfSequence;
                    }
                    else
                    {
                        sequence.Add(token, options);
                        if (sequence.Finish is null)
                        {
                            sequence.Conversation.Prompt(token);
                        }
                    }

                    if (onText is not null && sequence.Unsent(sequence.Finish is null ? holdBack : 0) is { Length: > 0 } text)
                    {
                        onText(sequence.Index, text);
                    }

                    if (sequence.Finish is { } finish)
                    {
                        results[sequence.Index] = new Completion(sequence.Index, sequence.Text, finish, options.SeedFor(sequence.Index),
                            prompt.Length, sequence.Tokens, Stopwatch.GetElapsedTime(sequence.Started));
                    }
                }

                if (sequences.All(s => s.Finish is not null))
                {
                    return;
                }

                await InferAsync(executor, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var sequence in sequences)
            {
                sequence.Dispose();
            }

            if (sequences.Count == 0)
            {
                ResetExecutor();
            }
        }
    }

    private async Task InferAsync(BatchedExecutor executor, CancellationToken cancellationToken)
    {
        var mark = NativeLog.Mark();
        var result = await executor.Infer(cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case DecodeResult.Ok:
                return;
            case DecodeResult.NoKvSlot:
                throw new ModelException(ModelErrorKind.ContextOverflow,
                    $"model '{_spec.Name}' ran out of KV cache cells ({_parameters.ContextSize}); lower parallel or maxTokens, or raise contextLength");
            case DecodeResult.AllocationFailed:
                throw new ModelException(ModelErrorKind.OutOfMemory, $"llama.cpp could not allocate memory while decoding for model '{_spec.Name}'; lower parallel or contextLength");
            case DecodeResult.ComputeAborted:
                cancellationToken.ThrowIfCancellationRequested();
                throw new ModelException(ModelErrorKind.Runtime, $"llama.cpp aborted decoding for model '{_spec.Name}'");
            default:
                throw new ModelException(ModelErrorKind.Runtime, $"llama.cpp failed to decode for model '{_spec.Name}': {result} ({NativeLog.ErrorsSince(mark, "no details")})");
        }
    }

    /// <summary>One sample being generated: its conversation (KV sequence), sampler, decoder and text.</summary>
    private sealed class Sequence : IDisposable
    {
        private readonly StreamingTokenDecoder _decoder;
        private readonly StringBuilder _text = new();
        private int _sent;

        public Sequence(int index, Conversation conversation, SamplingOptions options, LLamaWeights weights)
        {
            Index = index;
            Conversation = conversation;
            Sampler = new DefaultSamplingPipeline
            {
                Seed = unchecked((uint)options.SeedFor(index)),
                Temperature = (float)options.Temperature,
                TopP = (float)options.TopP,
                TopK = options.TopK,
                MinP = 0,
                RepeatPenalty = 1,
                Grammar = options.Grammar is { } grammar ? new Grammar(grammar, "root") : null,
            };
            _decoder = new StreamingTokenDecoder(Encoding.UTF8, weights);
            Started = Stopwatch.GetTimestamp();
        }

        public int Index { get; }

        public Conversation Conversation { get; }

        public DefaultSamplingPipeline Sampler { get; }

        public long Started { get; }

        public int Tokens { get; private set; }

        public FinishReason? Finish { get; set; }

        public string Text => _text.ToString();

        public void Add(LLamaToken token, SamplingOptions options)
        {
            Tokens++;
            _decoder.Add(token);
            var before = _text.Length;
            _text.Append(_decoder.Read());
            foreach (var stop in options.Stop)
            {
                // Only where the new text could complete a stop sequence.
                var from = Math.Max(0, before - stop.Length + 1);
                var at = _text.ToString(from, _text.Length - from).IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0)
                {
                    _text.Length = from + at;
                    Finish = FinishReason.Stop;
                    return;
                }
            }

            if (Tokens >= options.MaxTokens)
            {
                Finish = FinishReason.Length;
            }
        }

        /// <summary>Text not yet streamed, keeping back <paramref name="holdBack"/> characters that may start a stop sequence.</summary>
        public string Unsent(int holdBack)
        {
            var end = Math.Max(_sent, _text.Length - holdBack);
            var text = _text.ToString(_sent, end - _sent);
            _sent = end;
            return text;
        }

        public void Dispose()
        {
            Sampler.Dispose();
            Conversation.Dispose();
        }
    }
}

/// <summary>
/// llama.cpp logs through one process-wide callback: it goes to the logger of the engine that installed it, and the last
/// warnings and errors are kept so that load and decode failures can say what llama.cpp reported.
/// </summary>
internal static class NativeLog
{
    private static readonly ConcurrentQueue<(long Sequence, string Line)> Recent = new();
    private static readonly Lock Gate = new();
    private static ILogger? _logger;
    private static long _sequence;
    private static bool _installed;

    public static void Install(ILogger logger)
    {
        lock (Gate)
        {
            _logger = logger;
            if (_installed)
            {
                return;
            }

            NativeLogConfig.llama_log_set(Log);
            _installed = true;
        }
    }

    public static long Mark() => Interlocked.Read(ref _sequence);

    public static string ErrorsSince(long mark, string otherwise)
    {
        var lines = Recent.Where(r => r.Sequence > mark).Select(r => r.Line.Trim()).Where(l => l.Length > 0).ToList();
        return lines.Count == 0 ? otherwise : string.Join(" | ", lines.TakeLast(6));
    }

    private static void Log(LLamaLogLevel level, string message)
    {
        if (level is LLamaLogLevel.Warning or LLamaLogLevel.Error)
        {
            Recent.Enqueue((Interlocked.Increment(ref _sequence), message));
            while (Recent.Count > 64)
            {
                Recent.TryDequeue(out _);
            }
        }

        var logger = _logger;
        if (logger is null)
        {
            return;
        }

#pragma warning disable CA1848, CA2254 // Native log lines are already formatted text.
        switch (level)
        {
            case LLamaLogLevel.Error:
                logger.LogError(message.TrimEnd());
                break;
            case LLamaLogLevel.Warning:
                logger.LogWarning(message.TrimEnd());
                break;
            default:
                logger.LogTrace(message.TrimEnd());
                break;
        }
#pragma warning restore CA1848, CA2254
    }
}
