using ProofAgent.Agent;
using ProofAgent.Models;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// Builds the proof agent the way every proving command needs it, from the command's <see cref="ProverHost"/> (the
/// composition root, shared with the service): the host's provers, its SMT goal oracle (unless <c>--no-smt</c>), and the
/// model named by <c>--model</c> from the host's model registry (none: automation only). Disposing it disposes the host.
/// </summary>
internal sealed class AgentFactory : IAsyncDisposable
{
    private AgentFactory(ProofAgentRunner runner, ProverHost host)
    {
        Runner = runner;
        Host = host;
    }

    public static Option<string?> ModelsFile { get; } = new("--models")
    {
        Description = "The model registry (JSON); default: $PROOFAGENT_MODELS. See models/README.md.",
    };

    public static Option<bool> NoSmt { get; } = new("--no-smt")
    {
        Description = "Do not consult the SMT goal oracle (Z3) during the search.",
    };

    public ProofAgentRunner Runner { get; }

    /// <summary>The host: the sandboxed checkers the agent uses (also for baselines run beside it).</summary>
    public ProverHost Host { get; }

    public ProverCatalog Catalog => Host.Checkers;

    public static async Task<AgentFactory> CreateAsync(ParseResult parse, CliOutput output, string? modelName, CancellationToken cancellationToken)
    {
        var host = SandboxOption.CreateHost(parse, output, ProverSettings.FromEnvironment());
        try
        {
            LanguageModel? model = null;
            if (modelName is not null)
            {
                var path = ModelConfiguration.Locate(parse.GetValue(ModelsFile))
                    ?? throw new UsageException("no model registry is configured: " + ModelRegistry.Describe());
                var registry = host.OpenModels(ModelConfiguration.Load(path));
                model = await registry.GetAsync(modelName, cancellationToken);
            }

            return new AgentFactory(host.Agent(model, smtOracle: !parse.GetValue(NoSmt)), host);
        }
        catch (ModelException exception) when (exception.IsUserError)
        {
            await host.DisposeAsync();
            throw new UsageException(exception.Message);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
