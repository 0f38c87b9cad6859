using System.CommandLine;
using ProofAgent.Core.Provers;
using ProofAgent.Provers.Processes.Sandbox;
using Spectre.Console;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// <c>--unsafe-no-sandbox</c> and the one way commands build their prover catalog. The CLI sandboxes provers exactly like
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

    /// <summary>Builds the catalog for <paramref name="settings"/>, sandboxed unless the option says otherwise; a missing sandbox is bad usage.</summary>
    public static ProverCatalog CreateCatalog(ParseResult parse, CliOutput output, ProverSettings settings)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(settings);
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
            return ProverCatalog.CreateDefault(settings);
        }
        catch (SandboxUnavailableException exception)
        {
            throw new UsageException(exception.Message);
        }
    }
}
