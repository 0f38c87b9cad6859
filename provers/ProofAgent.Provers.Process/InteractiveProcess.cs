using System.Text;
using System.Threading.Channels;
using CliWrap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// A long-lived prover process spoken to through stdin/stdout frames (REPLs, IDE protocols, incremental SMT).
/// One request is in flight at a time; a receive that outlives its timeout kills the process tree and throws
/// <see cref="ProverTimeoutException"/>; a process that exits mid-conversation surfaces as <see cref="ProverCrashedException"/>.
/// </summary>
public sealed class InteractiveProcess<TFrame> : IAsyncDisposable
{
    private readonly Channel<string> _input = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<TFrame> _frames = Channel.CreateUnbounded<TFrame>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly IFrameDecoder<TFrame> _decoder;
    private readonly BoundedTextSink _stderr;
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly ProcessLimits _limits;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private CommandTask<CommandResult>? _task;
    private int? _exitCode;
    private volatile bool _exited;

    private InteractiveProcess(string name, IFrameDecoder<TFrame> decoder, ProcessLimits limits, ILogger logger)
    {
        _name = name;
        _decoder = decoder;
        _limits = limits;
        _logger = logger;
        _stderr = new BoundedTextSink(Math.Min(limits.MaxOutputChars, 64 * 1024));
    }

    /// <summary>The process id, for diagnostics and kill tests.</summary>
    public int ProcessId => _task?.ProcessId ?? 0;

    public bool HasExited => _exited;

    public int? ExitCode => _exitCode;

    /// <summary>What the process wrote to stderr so far (bounded).</summary>
    public string StandardError => _stderr.ToString();

    /// <summary>Starts the process. <paramref name="limits"/>' timeout is the default per-receive timeout.</summary>
    public static InteractiveProcess<TFrame> Start(
        ProcessSpec spec,
        ProcessLimits limits,
        IFrameDecoder<TFrame> decoder,
        IProcessIsolation isolation,
        ILogger? logger = null)
    {
        var process = new InteractiveProcess<TFrame>(Path.GetFileName(spec.Executable), decoder, limits, logger ?? NullLogger.Instance);
        process.Launch(isolation.Apply(spec, limits));
        return process;
    }

    /// <summary>Writes text to the process's stdin (the caller adds any newline the protocol needs).</summary>
    public async Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ThrowIfExited();
        await _input.Writer.WriteAsync(text, cancellationToken);
    }

    /// <summary>Waits for the next frame, at most <paramref name="timeout"/> (default: the limits' timeout).</summary>
    public async Task<TFrame> ReceiveAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? _limits.Timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await _frames.Reader.ReadAsync(deadline.Token);
        }
        catch (ChannelClosedException)
        {
            throw Crashed();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("{Prover} gave no answer within {Limit}; killing it", _name, limit);
            await KillAsync();
            throw new ProverTimeoutException($"{_name} gave no answer within {limit.TotalSeconds:0.###} s and was killed", limit);
        }
    }

    /// <summary>Sends a request and collects frames until <paramref name="isLast"/> says the answer is complete. Serialized.</summary>
    public async Task<IReadOnlyList<TFrame>> RequestAsync(
        string request,
        Func<TFrame, bool> isLast,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var limit = timeout ?? _limits.Timeout;
            var started = DateTime.UtcNow;
            await SendAsync(request, cancellationToken);
            var frames = new List<TFrame>();
            while (true)
            {
                var left = limit - (DateTime.UtcNow - started);
                var frame = await ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancellationToken);
                frames.Add(frame);
                if (isLast(frame))
                {
                    return frames;
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Interrupts, then kills the whole process tree after the grace period.</summary>
    public async Task KillAsync()
    {
        _input.Writer.TryComplete();
        await _graceful.CancelAsync();
        _forceful.CancelAfter(_limits.GracePeriod);
        if (_task is not null)
        {
            try
            {
                await _task;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin is the polite way to end a REPL; the kill follows if it does not take the hint.
        _input.Writer.TryComplete();
        if (_task is not null && !_exited)
        {
            var exited = await Task.WhenAny(_task.Task, Task.Delay(_limits.GracePeriod)) == _task.Task;
            if (!exited)
            {
                await KillAsync();
            }
        }

        _graceful.Dispose();
        _forceful.Dispose();
        _turn.Dispose();
    }

    private void Launch(ProcessSpec spec)
    {
        var command = Cli.Wrap(spec.Executable)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(PipeSource.Create(PumpInputAsync))
            .WithStandardOutputPipe(PipeTarget.Create(PumpOutputAsync))
            .WithStandardErrorPipe(PipeTarget.Create(_stderr.DrainAsync));
        if (spec.WorkingDirectory is not null)
        {
            command = command.WithWorkingDirectory(spec.WorkingDirectory);
        }

        if (spec.Environment.Count > 0)
        {
            command = command.WithEnvironmentVariables(spec.Environment);
        }

        _task = command.ExecuteAsync(_forceful.Token, _graceful.Token);
        _ = _task.Task.ContinueWith(
            completed =>
            {
                _exitCode = completed.IsCompletedSuccessfully ? completed.Result.ExitCode : null;
                _exited = true;
                _frames.Writer.TryComplete();
                _input.Writer.TryComplete();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task PumpInputAsync(Stream destination, CancellationToken cancellationToken)
    {
        await foreach (var text in _input.Reader.ReadAllAsync(cancellationToken))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await destination.WriteAsync(bytes, cancellationToken);
            await destination.FlushAsync(cancellationToken);
        }
    }

    private async Task PumpOutputAsync(Stream source, CancellationToken cancellationToken)
    {
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        var sinceFrame = 0L;
        while ((read = await source.ReadAsync(bytes, cancellationToken)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            sinceFrame += count;
            foreach (var frame in _decoder.Decode(new string(chars, 0, count)))
            {
                sinceFrame = 0;
                await _frames.Writer.WriteAsync(frame, cancellationToken);
            }

            if (sinceFrame > _limits.MaxOutputChars)
            {
                // A frame that never ends must not be buffered without bound: the process is stopped.
                _stderr.Append($"[the service stopped {_name}: more than {_limits.MaxOutputChars} characters without a complete frame]");
                _logger.LogWarning("{Prover} sent more than {Limit} characters without a complete frame; killing it", _name, _limits.MaxOutputChars);
                _ = KillAsync();
                return;
            }
        }
    }

    private void ThrowIfExited()
    {
        if (_exited)
        {
            throw Crashed();
        }
    }

    private ProverCrashedException Crashed()
    {
        var stderr = StandardError;
        var oom = ProcessRunner.LooksOutOfMemory(_exitCode ?? -1, _decoder.Pending, stderr);
        var detail = stderr.Length > 0 ? $": {stderr.Trim()}" : string.Empty;
        return new ProverCrashedException($"{_name} exited (code {_exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}){detail}", _exitCode, oom);
    }
}
