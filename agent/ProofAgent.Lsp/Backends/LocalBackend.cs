using Microsoft.Extensions.Logging;
using ProofAgent.Api.Http;
using ProofAgent.Api.Tactics;
using ProofAgent.Hosting;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Backends;

/// <summary>
/// Checks, proofs and suggestions in this process, over the <see cref="ProverHost"/> the caller built (sandboxed, as every
/// command builds it), which it owns and disposes: the checkers for diagnostics, the proof loop through <see cref="ProofAgentAdapter"/>, and the service's own
/// <see cref="TacticService"/> for completions, so the editor ranks tactics exactly as <c>/v1/suggest</c> does.
/// </summary>
public sealed class LocalBackend : IProofBackend
{
    /// <summary>How many suggestions are run in the prover for one completion request.</summary>
    public const int MaxCheckedSuggestions = 24;

    private readonly ProverHost _host;
    private readonly ModelHub _models;
    private readonly ProofAgentAdapter _agent;
    private readonly TacticService _tactics;

    public LocalBackend(ProverHost host, ModelHub models, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(loggers);
        _host = host;
        _agent = new ProofAgentAdapter(host);
        _models = models;
        _tactics = new TacticService(models, _agent.Access, loggers.CreateLogger<TacticService>());
    }

    public string Description => "in process";

    public Task<CheckResult> CheckAsync(FileCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var task = new ProofTask(check.Language, check.Source)
            .WithFileName(check.FileName)
            .WithBudget(ResourceBudget.Default.WithWallClock(check.Timeout));
        return _host.Checker(check.Language).CheckAsync(task, cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        await _models.DisposeAsync();
        await _host.DisposeAsync();
    }

    internal static SuggestionEffect Effect(SuggestionStatus status) => status switch
    {
        SuggestionStatus.Proved => SuggestionEffect.Proved,
        SuggestionStatus.Progress => SuggestionEffect.Progress,
        SuggestionStatus.Unchecked => SuggestionEffect.Unchecked,
        _ => SuggestionEffect.Error,
    };
}
