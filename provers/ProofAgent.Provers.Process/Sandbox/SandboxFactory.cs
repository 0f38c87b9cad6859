using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.Provers.Processes.Sandbox;

/// <summary>The sandbox was required but cannot run here. The message says why and what to do.</summary>
public sealed class SandboxUnavailableException : Exception
{
    public SandboxUnavailableException()
    {
    }

    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    public SandboxUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>What the probe found: a working launch, or why there is none.</summary>
public sealed record SandboxProbe(string? Bubblewrap, SandboxLaunch? Launch, string? Problem)
{
    public bool Works => Launch is not null && Problem is null;
}

/// <summary>
/// Builds the isolation every prover process goes through, from a <see cref="SandboxPolicy"/>: bubblewrap when it
/// works here (checked by starting a real sandbox once per bwrap path and launch), and otherwise a refusal
/// (<see cref="SandboxUnavailableException"/>), unless the policy says <see cref="SandboxMode.UnsafeDisabled"/>.
/// </summary>
public static class SandboxFactory
{
    public const string UnsafeWarning =
        "PROVER SANDBOX DISABLED (--unsafe-no-sandbox): proof scripts run with the service's own rights and can read, write " +
        "and delete any file this user can (Coq Load/Redirect/Extraction, Lean IO, Isabelle ML). Use only on files you trust.";

    private static readonly ConcurrentDictionary<(string Bubblewrap, SandboxLaunch Launch), Lazy<Task<SandboxProbe>>> Probes = new();

    /// <summary>The isolation for <paramref name="policy"/>; throws <see cref="SandboxUnavailableException"/> when the sandbox is required and cannot run.</summary>
    public static async Task<IProcessIsolation> CreateAsync(SandboxPolicy policy, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var log = logger ?? NullLogger.Instance;
        if (policy.IsDisabled)
        {
            log.LogCritical(UnsafeWarning);
            return new ResourceLimitIsolation();
        }

        var probe = await ProbeAsync(policy, cancellationToken);
        if (!probe.Works)
        {
            throw new SandboxUnavailableException(
                $"the prover sandbox cannot run here: {probe.Problem}. Install bubblewrap (`apt-get install bubblewrap`) where " +
                "user namespaces or root are available, or accept the risk explicitly with --unsafe-no-sandbox (PROOFAGENT_SANDBOX=unsafe-none)");
        }

        log.LogInformation("Prover sandbox: {Bubblewrap} ({Launch})", probe.Bubblewrap, probe.Launch);
        return new BubblewrapIsolation(policy, probe.Bubblewrap!, probe.Launch!.Value, new ResourceLimitIsolation(), log);
    }

    /// <summary>Synchronous <see cref="CreateAsync"/> for start-up code.</summary>
    public static IProcessIsolation Create(SandboxPolicy policy, ILogger? logger = null) =>
        Task.Run(() => CreateAsync(policy, logger)).GetAwaiter().GetResult();

    /// <summary>Finds bwrap and starts one real sandbox with each launch the policy allows; the first that works wins. Cached.</summary>
    public static async Task<SandboxProbe> ProbeAsync(SandboxPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var bubblewrap = ExecutableLocator.Find(policy.Bubblewrap);
        if (bubblewrap is null)
        {
            return new SandboxProbe(null, null, $"bubblewrap ('{policy.Bubblewrap}') was not found on PATH");
        }

        var launches = policy.Launch != SandboxLaunch.Auto ? [policy.Launch]
            : Environment.IsPrivilegedProcess ? new[] { SandboxLaunch.UserNamespace, SandboxLaunch.PrivilegedDropInside }
            : [SandboxLaunch.UserNamespace];
        var problems = new List<string>();
        foreach (var launch in launches)
        {
            var probe = await Probes.GetOrAdd((bubblewrap, launch), key => new Lazy<Task<SandboxProbe>>(() => TryAsync(policy, key.Bubblewrap, key.Launch))).Value
                .WaitAsync(cancellationToken);
            if (probe.Works)
            {
                return probe;
            }

            problems.Add($"{launch}: {probe.Problem}");
        }

        return new SandboxProbe(bubblewrap, null, string.Join("; ", problems));
    }

    private static async Task<SandboxProbe> TryAsync(SandboxPolicy policy, string bubblewrap, SandboxLaunch launch)
    {
        BubblewrapIsolation isolation;
        try
        {
            isolation = new BubblewrapIsolation(policy, bubblewrap, launch);
        }
        catch (SandboxUnavailableException exception)
        {
            return new SandboxProbe(bubblewrap, null, exception.Message);
        }

        // The probe proves confinement, not just start-up: no /root, no /home, and a PID namespace of its own.
        var spec = new ProcessSpec("sh", ["-c", "test ! -e /root && test ! -e /home && test \"$(cat /proc/1/comm)\" = bwrap && echo sandbox-ok"]);
        var runner = new ProcessRunner(isolation);
        var outcome = await runner.RunAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(20)) { MemoryBytes = 512L * 1024 * 1024 });
        return outcome.ExitCode == 0 && outcome.StandardOutput.Trim() == "sandbox-ok"
            ? new SandboxProbe(bubblewrap, launch, null)
            : new SandboxProbe(bubblewrap, null, $"a test sandbox failed (exit {outcome.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {Shorten(outcome.StandardError)}");
    }

    private static string Shorten(string text)
    {
        var trimmed = text.Trim().ReplaceLineEndings(" ");
        return trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed;
    }
}
