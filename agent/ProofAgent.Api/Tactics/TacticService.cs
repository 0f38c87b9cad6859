using Microsoft.Extensions.Logging;
using ProofAgent.Agent;
using ProofAgent.Agent.Coq;
using ProofAgent.Api.Http;
using ProofAgent.Models;
using ProofAgent.Provers;

namespace ProofAgent.Api.Tactics;

/// <summary>A request the service cannot serve as asked (unknown model, tactic prefix that fails, ...): a 400.</summary>
public sealed class TacticRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Tactic suggestions. <c>/generate</c> (LeanCopilot's external generator) samples a model with the tactic-step prompt;
/// <c>/v1/suggest</c> adds the automation portfolio and, for Coq with a statement, runs every candidate in a real
/// <c>coqidetop</c> session from the requested state and ranks by what the prover said.
/// </summary>
public sealed class TacticService(ModelHub models, ProverAccess provers, ILogger<TacticService> logger)
{
    /// <summary>
    /// Samples <paramref name="n"/> completions of the tactic prompt for <paramref name="input"/> continued by
    /// <paramref name="prefix"/>; distinct tactics are scored by their share of the samples (highest first, then first seen).
    /// </summary>
    public async Task<IReadOnlyList<Generation>> GenerateAsync(string name, string input, string prefix, int n, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(name, "name", cancellationToken);
        var samples = await model.SampleAsync(model.Format.TacticPrompt(input) + prefix, n, WithFormatStops(model), cancellationToken);
        var tactics = samples
            .OrderBy(s => s.Index)
            .Select(s => ProofExtractor.ExtractTactic(prefix + s.Text))
            .Where(t => t.Found)
            .Select(t => t.Text!)
            .ToList();
        return Rank(tactics, n);
    }

    public async Task<SuggestResponse> SuggestAsync(
        ProofLanguage language, string header, string? statement, IReadOnlyList<string> prefix, string? goal, string? modelName, int samples, TimeSpan tacticTimeout, int maxChecked, CancellationToken cancellationToken)
    {
        if (statement is null)
        {
            // A goal without a statement: the model's proposals, unchecked (there is nothing to run them in).
            if (modelName is null)
            {
                throw new TacticRequestException("model", "without a statement, suggestions come from a model: name one in 'model' (or send 'statement' for Coq)");
            }

            var proposals = await GenerateAsync(modelName, goal!, "", samples, cancellationToken);
            return new SuggestResponse([goal!], Checked: false, [.. proposals.Select(p => new Suggestion(p.Output, "model", p.Score, SuggestionStatus.Unchecked, null, null))]);
        }

        if (language != ProofLanguage.Coq || provers.Interactive(language) is not { } interactive)
        {
            throw new TacticRequestException("language", $"checked suggestions need an interactive session, which this service has for coq only (got {language.Id()}); send 'goal' and 'model' for unchecked ones");
        }

        await using var session = await interactive.OpenAsync(header, ResourceBudget.Default.WithWallClock(tacticTimeout + TimeSpan.FromSeconds(30)), cancellationToken);
        var step = await session.StartProofAsync(statement, cancellationToken);
        if (step is StepResult.StepError startError)
        {
            throw new TacticRequestException("statement", "Coq rejected the statement: " + startError.Message);
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (step is not StepResult.Goals current)
            {
                throw new TacticRequestException($"tactics[{i}]", "no goal is left before this tactic");
            }

            step = await session.RunTacticAsync(current.State, Sentence(prefix[i]), cancellationToken);
            if (step is StepResult.StepError error)
            {
                throw new TacticRequestException($"tactics[{i}]", $"Coq rejected '{prefix[i]}': {error.Message}");
            }
        }

        if (step is not StepResult.Goals state)
        {
            return new SuggestResponse([], Checked: true, []);
        }

        var goals = state.Open.Select(g => g.ToString()).ToList();
        var candidates = new List<(string Tactic, string Source, double Score)>();
        if (modelName is not null)
        {
            foreach (var g in await GenerateAsync(modelName, goals[0], "", samples, cancellationToken))
            {
                candidates.Add((g.Output.TrimEnd('.').Trim(), "model", g.Score));
            }
        }

        var first = state.Open[0];
        foreach (var tactic in CoqTactics.Closers(first).Concat(CoqTactics.Transforms(first)))
        {
            candidates.Add((CoqTactics.ForScript(tactic).TrimEnd('.').Trim(), "portfolio", 0));
        }

        var checkedSuggestions = new List<Suggestion>();
        foreach (var (tactic, source, score) in candidates.DistinctBy(c => c.Tactic, StringComparer.Ordinal).Where(c => c.Tactic.Length > 0).Take(maxChecked))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seconds = Math.Max(1, (int)Math.Ceiling(tacticTimeout.TotalSeconds));
            StepResult result;
            try
            {
                result = await session.RunTacticAsync(state.State, $"timeout {seconds} ({tactic}).", cancellationToken);
            }
            catch (ProverTimeoutException exception)
            {
                logger.LogInformation("suggest: the session timed out on a candidate; stopping ({Message})", exception.Message);
                break;
            }

            checkedSuggestions.Add(result switch
            {
                StepResult.ProofFinished => new Suggestion(tactic + ".", source, score, SuggestionStatus.Proved, 0, null),
                StepResult.Goals after => new Suggestion(tactic + ".", source, score, SuggestionStatus.Progress, after.Open.Count, null),
                StepResult.StepError error => new Suggestion(tactic + ".", source, score, SuggestionStatus.Error, null, FirstLine(error.Message)),
                _ => new Suggestion(tactic + ".", source, score, SuggestionStatus.Error, null, "unexpected answer"),
            });
            if (!session.IsHealthy)
            {
                break;
            }
        }

        var ranked = checkedSuggestions
            .Select((s, i) => (s, i))
            .OrderBy(x => x.s.Status switch { SuggestionStatus.Proved => 0, SuggestionStatus.Progress => 1, _ => 2 })
            .ThenBy(x => x.s.Status == SuggestionStatus.Progress ? x.s.GoalsAfter : 0)
            .ThenByDescending(x => x.s.Score)
            .ThenBy(x => x.i)
            .Select(x => x.s)
            .ToList();
        return new SuggestResponse(goals, Checked: true, ranked);
    }

    /// <summary>Distinct tactics scored by their frequency among <paramref name="n"/> samples; ties keep first-seen order.</summary>
    internal static IReadOnlyList<Generation> Rank(IReadOnlyList<string> tactics, int n) =>
        [.. tactics
            .Select((t, i) => (t, i))
            .GroupBy(x => x.t, StringComparer.Ordinal)
            .Select(g => (Tactic: g.Key, Count: g.Count(), First: g.Min(x => x.i)))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.First)
            .Select(g => new Generation(g.Tactic, Math.Round((double)g.Count / Math.Max(1, n), 6)))];

    private async Task<LanguageModel> ModelAsync(string name, string field, CancellationToken cancellationToken)
    {
        if (models.Problem(name) is { } problem)
        {
            throw new TacticRequestException(field, problem);
        }

        return await models.GetAsync(name, cancellationToken);
    }

    private static SamplingOptions WithFormatStops(LanguageModel model) =>
        model.Spec.Sampling.WithStop(model.Spec.Sampling.Stop.Concat(model.Format.StopSequences).Distinct(StringComparer.Ordinal));

    /// <summary>A tactic as a Coq sentence: a final period is added unless it ends in one or is a bullet or brace.</summary>
    internal static string Sentence(string tactic)
    {
        var t = tactic.Trim();
        return t.Length == 0 || t[^1] is '.' or '-' or '+' or '*' or '{' or '}' ? t : t + ".";
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
