using Microsoft.Extensions.Logging;
using ProofAgent.Provers.Processes.Sandbox;
using Spectre.Console;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// <c>--unsafe-no-sandbox</c> (and the kernel features trusted) and the one way commands build their
/// <see cref="ProverHost"/>, the composition root that creates the sandbox once and every prover from it. The CLI sandboxes provers exactly like
/// the service: proof files handed to <c>agent</c> often come from models or other people. Without a working bubblewrap a
/// command refuses (exit code 2) unless this option (or <c>PROOFAGENT_SANDBOX=unsafe-none</c>) accepts the risk, which is
/// then printed on stderr at every run. See docs/SECURITY.md.
/// </summary>
public static class SandboxOption
{
    public static Option<bool> UnsafeNoSandbox { get; } = new("--unsafe-no-sandbox")
    {
        Description = "Run provers WITHOUT the bubblewrap sandbox (only resource limits): the proof can read and write your files. Only for files you trust.",
    };

    /// <summary>
    /// <c>--trust-recursion</c>: accept fix/cofix defined in the submitted text although the installed Coq's guard checker
    /// (and coqchk) has known soundness bugs (docs/SECURITY.md lists them per version).
    /// </summary>
    public static Option<bool> TrustRecursion { get; } = new("--trust-recursion")
    {
        Description = "Coq: accept fixpoints (fix/cofix) defined in the submitted text although this Coq's guard checker has known soundness bugs (see docs/SECURITY.md).",
    };

    /// <summary><c>--trust-modules</c>: accept functors, module application and ascription despite the module system's known bugs.</summary>
    public static Option<bool> TrustModules { get; } = new("--trust-modules")
    {
        Description = "Coq: accept functors, module application, module type ascription and Declare Module although this Coq's module system has known soundness bugs.",
    };

    /// <summary>The options every command that checks proofs takes: the sandbox and the kernel features trusted.</summary>
    public static IEnumerable<Option> All => [UnsafeNoSandbox, TrustRecursion, TrustModules];

    /// <summary>Builds the host for <paramref name="settings"/>, sandboxed unless the option says otherwise; a missing sandbox is bad usage.</summary>
    public static ProverHost CreateHost(ParseResult parse, CliOutput output, ProverSettings settings, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(settings);
        settings = WithTrust(parse, settings);
        if (parse.GetValue(UnsafeNoSandbox))
        {
            settings = settings with { Sandbox = settings.Sandbox.WithMode(SandboxMode.UnsafeDisabled) };
        }

        if (settings.Sandbox.IsDisabled)
        {
            output.Error.MarkupLineInterpolated($"[bold red]warning:[/] {SandboxFactory.UnsafeWarning}");
        }

        try
        {
            return ProverHost.Create(settings, loggers);
        }
        catch (SandboxUnavailableException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    /// <summary>The settings with the kernel features the command line opts in to added to the trusted ones.</summary>
    public static ProverSettings WithTrust(ParseResult parse, ProverSettings settings)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(settings);
        var trusted = settings.Coq.TrustedFeatures.ToHashSet();
        if (parse.GetValue(TrustRecursion))
        {
            trusted.Add(ProofAgent.Provers.Coq.KernelFeature.Recursion);
        }

        if (parse.GetValue(TrustModules))
        {
            trusted.Add(ProofAgent.Provers.Coq.KernelFeature.Modules);
        }

        return settings with { Coq = settings.Coq.WithTrustedFeatures(trusted) };
    }
}
