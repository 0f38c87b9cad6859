using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ProofAgent.Api.Tactics;
using ProofAgent.Core.Provers;
using ProofAgent.Provers;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;

namespace ProofAgent.Lsp.Backends;

/// <summary>
/// Checks, proofs and suggestions in this process, over a prover catalog the caller built (sandboxed, as every command
/// builds it): the checkers for diagnostics, the proof loop through <see cref="ProofAgentAdapter"/>, and the service's own
/// <see cref="TacticService"/> for completions, so the editor ranks tactics exactly as <c>/v1/suggest</c> does.
/// </summary>
public sealed class LocalBackend : IProofBackend
{
    /// <summary>How many suggestions are run in the prover for one completion request.</summary>
    public const int MaxCheckedSuggestions = 24;

    private readonly ProverCatalog _catalog;
    private readonly ModelHub _models;
    private readonly ProofAgentAdapter _agent;
    private readonly TacticService _tactics;

    public LocalBackend(ProverCatalog catalog, ModelHub models, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(loggers);
        _catalog = catalog;
        _models = models;
        var oracle = new SmtGoalOracle(SmtSolverFactory.Create(catalog.Settings.Smt, catalog.Runner));
        _agent = new ProofAgentAdapter(catalog, oracle, loggers);
        _tactics = new TacticService(models, _agent.Access, loggers.CreateLogger<TacticService>());
    }

    public string Description => "in process";

    public Task<CheckResult> CheckAsync(FileCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var task = new ProofTask(check.Language, check.Source)
            .WithFileName(check.FileName)
            .WithBudget(ResourceBudget.Default.WithWallClock(check.Timeout));
        return _catalog.Checker(check.Language).CheckAsync(task, cancellationToken);
    }

    public async Task<ProofAttempt> ProveAsync(ProofGoal goal, IProgress<ProofProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ProofAgent.Models.LanguageModel? model = null;
        if (goal.Options.Model is { } name)
        {
            if (_models.Problem(name) is { } problem)
            {
                return new ProofAttempt.NotFound(new Verdict.Error(problem), null);
            }

            model = await _models.GetAsync(name, cancellationToken);
        }

        return await _agent.ProveAsync(goal, model, progress, cancellationToken);
    }

    public async Task<SuggestionList> SuggestAsync(SuggestionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Model is { } name && _models.Problem(name) is not null)
        {
            request = request with { Model = null }; // completions still come from the automation portfolio
        }

        try
        {
            var answer = await _tactics.SuggestAsync(
                request.Language, request.Header, request.Statement, request.Tactics, null, request.Model, 8, request.TacticTimeout, MaxCheckedSuggestions, cancellationToken);
            return new SuggestionList(answer.Goals.Count, [.. answer.Suggestions.Select(s => new TacticSuggestion(s.Tactic, Effect(s.Status), s.GoalsAfter, s.Source, s.Message))]);
        }
        catch (TacticRequestException)
        {
            // The proof so far does not run (a tactic before the cursor fails): there is no state to suggest for.
            return SuggestionList.None;
        }
    }

    public ValueTask DisposeAsync() => _models.DisposeAsync();

    internal static SuggestionEffect Effect(string status) => status switch
    {
        "proved" => SuggestionEffect.Proved,
        "progress" => SuggestionEffect.Progress,
        "unchecked" => SuggestionEffect.Unchecked,
        _ => SuggestionEffect.Error,
    };
}
