using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers;

namespace ProofAgent.Agent.Coq;

/// <summary>Proposes tactics for a goal (a model, or anything else). Proposals are only tried; the prover decides.</summary>
public interface ITacticProposer
{
    Task<IReadOnlyList<string>> ProposeAsync(Goal goal, int count, CancellationToken cancellationToken = default);
}

/// <summary>How a search ended.</summary>
/// <param name="Closed">The target goal (and everything it became) is closed.</param>
/// <param name="Script">The sentences that close it, ready for the final proof (no timeouts).</param>
/// <param name="State">The session state after the script.</param>
/// <param name="Finished">No goal remains in the whole proof after the script.</param>
/// <param name="Counterexample">The oracle refuted the goal through invertible steps only: the statement is false.</param>
public sealed record SearchOutcome(bool Closed, IReadOnlyList<string> Script, ProofStateId? State, bool Finished, GoalVerdict.Counterexample? Counterexample = null)
{
    public static SearchOutcome Failed { get; } = new(false, [], null, false);
}

/// <summary>
/// Best-first search that closes the first goal of a proof state in a live Coq session: closers from the portfolio (and
/// the model) first, then structural transforms, ordered by the number of open goals and the depth. The goal oracle, when
/// there is one, prunes goals it refutes and, when the refutation went through invertible steps only, refutes the theorem.
/// </summary>
public sealed class CoqTacticSearch(
    IProverSession session,
    AttemptContext context,
    IGoalOracle? oracle = null,
    ITacticProposer? proposer = null,
    ILogger? logger = null)
{
    private const int MaxDepth = 5;
    private const int MaxOracleCalls = 6;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private int _oracleCalls;

    /// <summary>Closes <c>goals[0]</c> of <paramref name="state"/> (with whatever it becomes), or reports why not.</summary>
    public async Task<SearchOutcome> CloseFirstGoalAsync(
        ProofStateId state,
        IReadOnlyList<Goal> goals,
        string theorem,
        ProofStage stage,
        CancellationToken cancellationToken)
    {
        if (goals.Count == 0)
        {
            return new SearchOutcome(true, [], state, true);
        }

        var queue = new PriorityQueue<Node, (int Pending, int Depth, int Order)>();
        var order = 0;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        queue.Enqueue(new Node(state, goals, 1, [], 0, true, []), (1, 0, order++));
        while (queue.TryDequeue(out var node, out _))
        {
            if (context.Exhausted)
            {
                context.Note($"{theorem}: search stopped, budget spent ({context.ProverCalls} prover calls, {context.Elapsed.TotalSeconds:0.0} s)");
                return SearchOutcome.Failed;
            }

            var key = string.Join("\n----\n", node.Goals.Take(node.Pending).Select(g => g.ToString()));
            if (!visited.Add(key))
            {
                continue;
            }

            var goal = node.Goals[0];
            // The bridge models division by zero as Coq defines it (x / 0 = 0, n mod 0 = n), so a counterexample to a goal
            // that divides by a variable holds in Coq too (SmtBridge's SemanticsTests check the model against coqc).
            if (oracle is not null && _oracleCalls < MaxOracleCalls)
            {
                _oracleCalls++;
                var verdict = await DecideAsync(goal, cancellationToken);
                if (verdict is GoalVerdict.Counterexample counterexample)
                {
                    context.Emit(new ProofEvent.GoalRefuted(context.NowMs, stage, theorem, goal.ToString(), counterexample.Model, counterexample.Solver));
                    if (node.Invertible)
                    {
                        return SearchOutcome.Failed with { Counterexample = counterexample };
                    }

                    continue;
                }
            }

            // Introducing and destructuring first is invertible and cheap, and every closer runs again on the result:
            // trying the closers (each up to its step timeout) on the unintroduced goal would only spend the budget.
            if (CoqTactics.Normalizer(goal) is { } normalize && !node.Used.Contains(normalize.Text) && !context.Exhausted)
            {
                var (normalized, introduced) = await StepAsync(node, normalize, theorem, stage, cancellationToken);
                if (normalized is not null)
                {
                    return normalized;
                }

                if (introduced is not null)
                {
                    queue.Enqueue(introduced, (introduced.Pending, introduced.Depth, order++));
                    continue;
                }
            }

            var closers = new List<SearchTactic>();
            if (proposer is not null)
            {
                var proposals = await ProposeAsync(goal, cancellationToken);
                closers.AddRange(proposals.Select(p => new SearchTactic(p.TrimEnd('.'), IsCloser: false, Invertible: false, "model")));
            }

            closers.AddRange(CoqTactics.Closers(goal));
            var closed = false;
            foreach (var closer in closers)
            {
                if (context.Exhausted)
                {
                    break;
                }

                var (end, child) = await StepAsync(node, closer, theorem, stage, cancellationToken);
                if (end is not null)
                {
                    return end;
                }

                if (child is null)
                {
                    continue;
                }

                if (child.Pending < node.Pending)
                {
                    queue.Enqueue(child, (child.Pending, child.Depth, order++));
                    closed = true;
                    break;
                }

                if (!closer.IsCloser)
                {
                    queue.Enqueue(child, (child.Pending + 1, child.Depth + 1, order++));
                }
            }

            if (closed || node.Depth >= MaxDepth)
            {
                continue;
            }

            foreach (var transform in CoqTactics.Transforms(goal).Where(t => !node.Used.Contains(t.Text)))
            {
                if (context.Exhausted)
                {
                    break;
                }

                var (end, child) = await StepAsync(node, transform, theorem, stage, cancellationToken);
                if (end is not null)
                {
                    return end;
                }

                if (child is not null)
                {
                    queue.Enqueue(child, (child.Pending, child.Depth, order++));
                }
            }
        }

        return SearchOutcome.Failed;
    }

    /// <summary>
    /// Runs one tactic from <paramref name="node"/>: End is the search's outcome when the step ends it (the session died,
    /// or no goal is left); otherwise Child is the new node to rank, or null when the step failed or changed nothing.
    /// </summary>
    private async Task<(SearchOutcome? End, Node? Child)> StepAsync(Node node, SearchTactic tactic, string theorem, ProofStage stage, CancellationToken cancellationToken)
    {
        if (context.IsSessionKiller(tactic.Text))
        {
            return (null, null); // it lost a session before: never again in this request
        }

        var (result, child) = await TryAsync(node, tactic, theorem, stage, cancellationToken);
        if (child is null)
        {
            return (result is null ? SearchOutcome.Failed : null, null);
        }

        return child.Pending <= 0 || result is StepResult.ProofFinished
            ? (new SearchOutcome(true, child.Script, child.State, result is StepResult.ProofFinished), null)
            : (null, child);
    }

    /// <summary>Runs one tactic; returns the step result and the child node (null when the step failed or changed nothing; result null when the session died).</summary>
    private async Task<(StepResult? Result, Node? Child)> TryAsync(Node node, SearchTactic tactic, string theorem, ProofStage stage, CancellationToken cancellationToken)
    {
        var started = context.NowMs;
        StepResult result;
        try
        {
            context.CountProverCall();
            result = await session.RunTacticAsync(node.State, CoqTactics.ForSearch(tactic, context.TacticTimeout), cancellationToken);
        }
        catch (Exception exception) when (exception is ProverTimeoutException or ProverCrashedException)
        {
            _logger.LogWarning(exception, "Coq session lost during '{Tactic}'", tactic.Text);
            context.Note($"{theorem}: the Coq session was lost during '{tactic.Text}': {exception.Message}");
            context.MarkSessionKiller(tactic.Text);
            return (null, null);
        }

        var elapsed = context.NowMs - started;
        switch (result)
        {
            case StepResult.StepError:
                return (result, null);
            case StepResult.ProofFinished finished:
                context.Emit(new ProofEvent.TacticApplied(context.NowMs, stage, theorem, tactic.Text, node.Goals.Count, 0, elapsed));
                return (result, node.Child(finished.State, [], 0, tactic));
            case StepResult.Goals goals:
                if (!tactic.IsCloser && SameGoals(goals.Open, node.Goals))
                {
                    return (result, null);
                }

                var pending = tactic.IsCloser ? node.Pending - 1 : node.Pending + goals.Open.Count - node.Goals.Count;
                context.Emit(new ProofEvent.TacticApplied(context.NowMs, stage, theorem, tactic.Text, node.Goals.Count, goals.Open.Count, elapsed));
                return (result, node.Child(goals.State, goals.Open, pending, tactic));
            default:
                return (result, null);
        }
    }

    private async Task<GoalVerdict> DecideAsync(Goal goal, CancellationToken cancellationToken)
    {
        try
        {
            var timeout = context.TacticTimeout;
            return await oracle!.DecideAsync(ProofLanguage.Coq, goal, timeout, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning(exception, "The goal oracle failed");
            return new GoalVerdict.Unknown(exception.Message);
        }
    }

    private async Task<IReadOnlyList<string>> ProposeAsync(Goal goal, CancellationToken cancellationToken)
    {
        try
        {
            return await proposer!.ProposeAsync(goal, 4, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning(exception, "The tactic proposer failed");
            return [];
        }
    }

    private static bool SameGoals(IReadOnlyList<Goal> a, IReadOnlyList<Goal> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => pair.First.ToString() == pair.Second.ToString());

    private sealed record Node(
        ProofStateId State,
        IReadOnlyList<Goal> Goals,
        int Pending,
        ImmutableList<string> Script,
        int Depth,
        bool Invertible,
        ImmutableHashSet<string> Used)
    {
        /// <summary>
        /// The node after <paramref name="tactic"/>. Depth and the transforms used count per goal: once a goal is closed,
        /// the next one (a case of a split, say) gets the whole depth and every transform again, as the goals before it did.
        /// </summary>
        public Node Child(ProofStateId state, IReadOnlyList<Goal> goals, int pending, SearchTactic tactic)
        {
            var closedOne = pending < Pending;
            return new(
                state,
                goals,
                pending,
                Script.Add(CoqTactics.ForScript(tactic)),
                closedOne ? 0 : tactic.IsCloser ? Depth : Depth + 1,
                Invertible && tactic.Invertible,
                closedOne ? [] : Used.Add(tactic.Text));
        }
    }
}
