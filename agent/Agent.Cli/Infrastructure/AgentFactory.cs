using System.CommandLine;
using Microsoft.Extensions.AI;
using ProofAgent.Agent;
using ProofAgent.Cli.Commands;
using ProofAgent.Core.Provers;
using ProofAgent.Models;
using ProofAgent.Provers;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>
/// Builds the proof agent the way every proving command needs it: provers from the sandboxed catalog, the Z3 goal
/// oracle over the configured SMT solver, and the chat model named by <c>--model</c> (none: automation only).
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
        IChatClient? chat = null;
        if (modelName is not null)
        {
            registry = ModelsCommand.OpenRegistry(parse.GetValue(ModelsFile));
            try
            {
                chat = (await registry.GetAsync(modelName, cancellationToken)).ChatClient;
            }
            catch (ModelException exception) when (exception.IsUserError)
            {
                await registry.DisposeAsync();
                throw new UsageException(exception.Message);
            }
        }

        var runner = new ProofAgentRunner(ProofAgentRunner.Access(catalog, catalog.Runner.Isolation), chat, oracle);
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
