using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Agent;
using ProofAgent.Models;
using ProofAgent.Models.LlamaCpp;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;

namespace ProofAgent.Hosting;

/// <summary>
/// The composition root, one per process (a CLI command, the service, the language server). It creates the process
/// isolation (the sandbox) once, and from it everything that starts a prover: the checkers of every language, the
/// interactive provers the agent drives, the SMT solvers and the goal oracle, and the agent itself; and the model
/// registry. No library builds a process runner or a checker of its own: they ask the host. Everything that owns
/// processes or memory (the Lean REPL pool, loaded models) is disposed with it.
/// <para>Probes are the checkers' own, re-run whenever a prover's executable changes on disk
/// (<see cref="ProbeCache"/>), so the identity a result carries is always that of the binary that ran.</para>
/// </summary>
public sealed class ProverHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly Lazy<ProverAccess> _agentProvers;
    private readonly Lazy<IGoalOracle> _oracle;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    private ProverHost(ProverSettings settings, IProcessIsolation isolation, ILoggerFactory loggers)
    {
        Settings = settings;
        Isolation = isolation;
        _loggers = loggers;

        // Folders of this user's processes that were killed before they could clean up (once per process, in the background).
        JobFolder.SweepAbandonedOnce(loggers.CreateLogger<JobFolder>());
        Runner = new ProcessRunner(isolation, loggers.CreateLogger<ProcessRunner>());
        Checkers = new ProverCatalog(settings, Runner, loggers);
        _agentProvers = new(() => AgentProverAccess.FromCatalog(Checkers, Isolation, _loggers));
        _oracle = new(() => new SmtGoalOracle(Solver(), logger: _loggers.CreateLogger<SmtGoalOracle>()));
    }

    /// <summary>What every prover process of this host goes through (the sandbox, or resource limits only when disabled).</summary>
    public IProcessIsolation Isolation { get; }

    /// <summary>The one process runner, over <see cref="Isolation"/>.</summary>
    public IProcessRunner Runner { get; }

    public ProverSettings Settings { get; }

    /// <summary>The checkers, one per language, through their soundness gates.</summary>
    public ProverCatalog Checkers { get; }

    /// <summary>The provers as the agent reaches them: checkers, interactive provers per language, their automation.</summary>
    public ProverAccess AgentProvers => _agentProvers.Value;

    /// <summary>The SMT goal oracle (z3 through the configured solver) the agent and the service consult.</summary>
    public IGoalOracle GoalOracle => _oracle.Value;

    public ILoggerFactory Loggers => _loggers;

    /// <summary>
    /// The host for <paramref name="settings"/>: every process in the sandbox of <see cref="ProverSettings.Sandbox"/>.
    /// Throws <see cref="SandboxUnavailableException"/> when the sandbox cannot run here and was not disabled.
    /// </summary>
    public static ProverHost Create(ProverSettings settings, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var factory = loggers ?? NullLoggerFactory.Instance;
        return new ProverHost(settings, SandboxFactory.Create(settings.Sandbox, factory.CreateLogger("ProofAgent.Sandbox")), factory);
    }

    /// <summary>A host over an isolation the caller chose (tests that run provers under resource limits only).</summary>
    public static ProverHost Create(ProverSettings settings, IProcessIsolation isolation, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(isolation);
        return new ProverHost(settings, isolation, loggers ?? NullLoggerFactory.Instance);
    }

    /// <summary>The checker of a language.</summary>
    public IProofChecker Checker(ProofLanguage language) => Checkers.Checker(language);

    /// <summary>The static scanner of a language (its checker's gate's own), or null when it has none.</summary>
    public ISourceScanner? Scanner(ProofLanguage language) => SourceScanners.For(language);

    /// <summary>An SMT solver over the host's runner: <paramref name="name"/> (z3, cvc5, portfolio), else the configured one.</summary>
    public ISmtSolver Solver(string? name = null) =>
        SmtSolverFactory.Create(name is null ? Settings.Smt : Settings.Smt.WithSolver(name), Runner);

    /// <summary>The proof agent over the host's provers, with a model (or none: automation only) and, unless turned off, the SMT oracle.</summary>
    public ProofAgentRunner Agent(LanguageModel? model = null, bool smtOracle = true) =>
        new(AgentProvers, model, smtOracle ? GoalOracle : null, _loggers);

    /// <summary>
    /// The model registry described by <paramref name="configuration"/>, with both runtimes (GGUF in process, and
    /// OpenAI-compatible servers); the host disposes it (and the models it loaded) with itself.
    /// </summary>
    public ModelRegistry OpenModels(ModelConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var registry = new ModelRegistry(configuration, [new LlamaCppRuntime(), new OpenAICompatibleRuntime()], _loggers);
        Own(registry);
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> owned;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            owned = [.. _owned];
            owned.Reverse();
        }

        foreach (var item in owned)
        {
            await item.DisposeAsync();
        }

        // The checkers that keep processes between checks (the Lean REPL pool) stop them now.
        foreach (var checker in Checkers.Languages.Select(Checkers.Checker).OfType<IAsyncDisposable>())
        {
            await checker.DisposeAsync();
        }
    }

    private void Own(IAsyncDisposable item)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _owned.Add(item);
        }
    }
}
