using System.CommandLine;
using ProofAgent.Agent;
using ProofAgent.Api.Jobs;
using ProofAgent.Cli.Commands;
using ProofAgent.Core.Provers;
using ProofAgent.Models;
using ProofAgent.Provers;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// Builds the proof agent the way every proving command needs it: provers from the sandboxed catalog (through
/// <see cref="AgentProverAccess"/>, the one place the agent's provers are built, shared with the service), the Z3 goal
/// oracle over the configured SMT solver, and the model named by <c>--model</c> (none: automation only).
/// </summary>
internal sealed class AgentFactory : IAsyncDisposable
{
    private readonly ModelRegistry? _models;

    private AgentFactory(ProofAgentRunner runner, ProverCatalog catalog, ModelRegistry? models)
    {
        Runner = runner;
        Catalog = catalog;
        _models = models;
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

    /// <summary>The sandboxed checkers the agent uses (also for baselines run beside it).</summary>
    public ProverCatalog Catalog { get; }

    public static async Task<AgentFactory> CreateAsync(ParseResult parse, CliOutput output, string? modelName, CancellationToken cancellationToken)
    {
        var settings = ProverSettings.FromEnvironment();
        var catalog = SandboxOption.CreateCatalog(parse, output, settings);
        IGoalOracle? oracle = parse.GetValue(NoSmt) ? null : new SmtGoalOracle(SmtSolverFactory.Create(settings.Smt, catalog.Runner));
        ModelRegistry? registry = null;
        LanguageModel? model = null;
        if (modelName is not null)
        {
            registry = ModelsCommand.OpenRegistry(parse.GetValue(ModelsFile));
            try
            {
                model = await registry.GetAsync(modelName, cancellationToken);
            }
            catch (ModelException exception) when (exception.IsUserError)
            {
                await registry.DisposeAsync();
                throw new UsageException(exception.Message);
            }
        }

        var runner = new ProofAgentRunner(AgentProverAccess.FromCatalog(catalog, catalog.Runner.Isolation), model, oracle);
        return new AgentFactory(runner, catalog, registry);
    }

    public async ValueTask DisposeAsync()
    {
        if (_models is not null)
        {
            await _models.DisposeAsync();
        }
    }
}
