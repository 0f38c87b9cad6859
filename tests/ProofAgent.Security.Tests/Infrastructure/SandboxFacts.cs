using ProofAgent.Provers.Processes.Sandbox;
using Xunit;

namespace ProofAgent.Security.Tests.Infrastructure;

/// <summary>Whether bubblewrap works here, probed once by starting a real sandbox.</summary>
public static class SandboxAvailability
{
    private static readonly Lazy<SandboxProbe> Probe = new(() => Task.Run(() => SandboxFactory.ProbeAsync(SandboxPolicy.Default)).GetAwaiter().GetResult());

    public static SandboxProbe Current => Probe.Value;

    /// <summary>The reason a sandbox test cannot run here, or null.</summary>
    public static string? SkipReason(params string[] tools) =>
        SkipReasons.Tools(tools) ?? (Current.Works ? null : $"bubblewrap cannot create its namespaces here: {Current.Problem}");
}

/// <summary>A fact that needs a working bubblewrap (and the named tools); it says why when it skips.</summary>
public sealed class RequiresSandboxFactAttribute : FactAttribute
{
    public RequiresSandboxFactAttribute(params string[] tools)
    {
        if (SandboxAvailability.SkipReason(tools) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// A fact for the privileged launch, which only a root process can use: it needs root and a working bubblewrap, and says
/// which is missing when it skips (so a non-root run shows the test as skipped, not as passed).
/// </summary>
public sealed class RequiresRootSandboxFactAttribute : FactAttribute
{
    public RequiresRootSandboxFactAttribute(params string[] tools)
    {
        if ((Environment.IsPrivilegedProcess ? SandboxAvailability.SkipReason(tools) : "needs root: only a service running as root uses the privileged launch") is { } reason)
        {
            Skip = reason;
        }
    }
}
