using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Provers.Processes;

/// <summary>Runs a process to completion under limits.</summary>
public interface IProcessRunner
{
    /// <summary>The isolation every process of this runner goes through.</summary>
    IProcessIsolation Isolation { get; }

    /// <summary>
    /// Runs to exit, timeout or cancellation, never longer than <see cref="ProcessLimits.Timeout"/> plus the grace period.
    /// Timeouts and cancellations are reported in the outcome, not thrown.
    /// </summary>
    Task<ProcessOutcome> RunAsync(ProcessSpec spec, ProcessLimits limits, CancellationToken cancellationToken = default);
}

/// <summary>
/// The CliWrap-based runner. On timeout or cancellation it first interrupts (SIGINT), then after the grace period kills
/// the whole process tree. Output is capped per stream.
/// </summary>
public sealed class ProcessRunner(IProcessIsolation isolation, ILogger<ProcessRunner>? logger = null) : IProcessRunner
{
    private readonly ILogger _logger = logger ?? NullLogger<ProcessRunner>.Instance;

    public IProcessIsolation Isolation => isolation;

    public async Task<ProcessOutcome> RunAsync(ProcessSpec spec, ProcessLimits limits, CancellationToken cancellationToken = default)
    {
        var effective = isolation.Apply(spec, limits);
        var stdout = new BoundedTextSink(limits.MaxOutputChars);
        var stderr = new BoundedTextSink(limits.MaxOutputChars);

        var command = Cli.Wrap(effective.Executable)
            .WithArguments(effective.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.Create(stdout.DrainAsync))
            .WithStandardErrorPipe(PipeTarget.Create(stderr.DrainAsync))
            .WithStandardInputPipe(effective.StandardInput is null ? PipeSource.Null : PipeSource.FromString(effective.StandardInput));
        if (effective.WorkingDirectory is not null)
        {
            command = command.WithWorkingDirectory(effective.WorkingDirectory);
        }

        if (effective.Environment.Count > 0)
        {
            command = command.WithEnvironmentVariables(effective.Environment);
        }

        using var timeout = new CancellationTokenSource(limits.Timeout);
        using var graceful = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var forceful = new CancellationTokenSource();
        await using var escalate = graceful.Token.Register(() => forceful.CancelAfter(limits.GracePeriod));

        var clock = Stopwatch.StartNew();
        _logger.LogDebug("Starting {Command} (timeout {Timeout}, isolation {Isolation})", spec, limits.Timeout, isolation.Name);
        int? exitCode = null;
        long? peakRss = null;
        try
        {
            var task = command.ExecuteAsync(forceful.Token, graceful.Token);
            using var sampler = new PeakRssSampler(task.ProcessId);
            var result = await task;
            exitCode = result.ExitCode;
            peakRss = sampler.Peak;
        }
        catch (OperationCanceledException)
        {
            // Either our timeout or the caller fired; the process and its children are gone (CliWrap kills the tree).
        }
        catch (CliWrap.Exceptions.CliWrapException exception)
        {
            _logger.LogWarning(exception, "Could not start {Command}", spec);
            return new ProcessOutcome(null, string.Empty, exception.Message, clock.Elapsed);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            _logger.LogWarning(exception, "Could not start {Command}", spec);
            return new ProcessOutcome(null, string.Empty, exception.Message, clock.Elapsed);
        }

        var error = stderr.ToString();
        var output = stdout.ToString();
        var timedOut = exitCode is null && timeout.IsCancellationRequested;
        var cancelled = exitCode is null && !timedOut && cancellationToken.IsCancellationRequested;
        var outcome = new ProcessOutcome(exitCode, output, error, clock.Elapsed)
        {
            TimedOut = timedOut,
            Cancelled = cancelled,
            OutputTruncated = stdout.Truncated || stderr.Truncated,
            PeakRssBytes = peakRss,
            OutOfMemory = LooksOutOfMemory(exitCode, output, error),
        };
        _logger.LogDebug("{Executable} ended: exit {ExitCode}, {Elapsed} ms, timedOut {TimedOut}", spec.Executable, exitCode, clock.ElapsedMilliseconds, timedOut);
        return outcome;
    }

    /// <summary>Allocation failures under RLIMIT_AS show up as these messages, or as a kill/abort.</summary>
    internal static bool LooksOutOfMemory(int? exitCode, string stdout, string stderr)
    {
        static bool Mentions(string text) =>
            text.Contains("Out of memory", StringComparison.OrdinalIgnoreCase) ||
            text.Contains("std::bad_alloc", StringComparison.Ordinal) ||
            text.Contains("Cannot allocate memory", StringComparison.Ordinal) ||
            text.Contains("out of memory", StringComparison.Ordinal);
        return exitCode is not 0 && (Mentions(stderr) || Mentions(stdout));
    }
}
