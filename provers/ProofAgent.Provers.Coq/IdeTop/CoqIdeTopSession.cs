using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Coq.IdeTop;

/// <summary>
/// An interactive Coq session over <c>coqidetop</c>'s XML protocol. Proof states are the session's own stable ids: each
/// is a path of tactics from the theorem statement, and asking for a state that coqidetop has since discarded (because
/// the search moved to another branch) replays the path. Sentences are split by the client, since <c>Add</c> executes
/// only the first sentence of its text. Errors surface on the <c>Goal</c> after an <c>Add</c>, which is then undone
/// with <c>Edit_at</c>, so a failed step leaves the session where it was.
/// </summary>
public sealed class CoqIdeTopSession : IQueryableProverSession
{
    private readonly InteractiveProcess<string> _process;
    private readonly TimeSpan _stepTimeout;
    private readonly ILogger _logger;
    private readonly List<Node> _nodes = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<int> _live = []; // node indexes currently loaded in coqidetop, root first
    private int _rootCoqState;
    private int _tipCoqState;
    private int _uses;
    private bool _healthy = true;

    private readonly string _workDirectory;

    private CoqIdeTopSession(InteractiveProcess<string> process, ProverIdentity identity, TimeSpan stepTimeout, ILogger logger, string workDirectory)
    {
        _process = process;
        _workDirectory = workDirectory;
        Identity = identity;
        _stepTimeout = stepTimeout;
        _logger = logger;
    }

    public ProverIdentity Identity { get; private set; }

    public bool IsHealthy => _healthy && !_process.HasExited;

    public int Uses => _uses;

    /// <summary>The coqidetop process id (for diagnostics and kill tests).</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Starts coqidetop, initialises a document and runs the header sentences (imports, options).</summary>
    public static async Task<CoqIdeTopSession> StartAsync(
        CoqOptions options,
        IProcessIsolation isolation,
        string header,
        ResourceBudget budget,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var executable = ExecutableLocator.Find(options.CoqIdeTop)
            ?? throw new FileNotFoundException($"'{options.CoqIdeTop}' was not found on PATH; install Coq with `apt-get install coq`");
        var workDir = Directory.CreateTempSubdirectory(JobFolder.OwnedPrefix("proofagent-coqidetop-")).FullName;
        var spec = new ProcessSpec(executable, ["-main-channel", "stdfds", "-q", .. options.ExtraArguments]) { WorkingDirectory = workDir };
        var limits = new ProcessLimits(budget.WallClock) { MemoryBytes = budget.MemoryBytes };
        var process = InteractiveProcess<string>.Start(spec, limits, new CoqXmlFrameDecoder(), isolation, logger);
        var session = new CoqIdeTopSession(process, new ProverIdentity("coq", "unknown"), budget.WallClock, logger ?? NullLogger.Instance, workDir);
        return await session.DisposeOnFailureAsync(async () =>
        {
            var about = await session.CallAsync(CoqXml.About(), cancellationToken);
            var version = about.Descendants("string").FirstOrDefault()?.Value ?? "unknown";
            session.Identity = new ProverIdentity("coq", version);
            var init = await session.CallAsync(CoqXml.Init(), cancellationToken);
            session._rootCoqState = session._tipCoqState = CoqXml.StateId(init);
            foreach (var sentence in CoqSyntax.SplitSentences(options.MapStdlibToCoq ? CoqSyntax.MapStdlibToCoq(header) : header))
            {
                var added = await session.CallAsync(CoqXml.Add(sentence.Text.Trim(), session._tipCoqState), cancellationToken);
                if (CoqXml.IsFail(added))
                {
                    throw new ArgumentException($"the header does not parse at '{sentence.Text.Trim()}': {CoqXml.Text(added)}", nameof(header));
                }

                session._tipCoqState = CoqXml.StateId(added);
            }

            var status = await session.CallAsync(CoqXml.Status(), cancellationToken);
            if (CoqXml.IsFail(status))
            {
                throw new ArgumentException($"the header does not check: {CoqXml.ErrorText(status)}", nameof(header));
            }

            session._rootCoqState = session._tipCoqState;
            return session;
        });
    }

    public Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default) =>
        ExclusiveAsync(
            async () =>
            {
                await MoveToAsync(-1, cancellationToken);
                var sentences = CoqSyntax.SplitSentences(statement).Select(s => s.Text.Trim()).ToList();
                return await AddAndObserveAsync(new Node(-1, sentences), cancellationToken);
            },
            cancellationToken);

    public Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default) =>
        ExclusiveAsync<StepResult>(
            async () =>
            {
                var parent = checked((int)state.Value);
                if (parent < 0 || parent >= _nodes.Count)
                {
                    return new StepResult.StepError($"unknown proof state {state}");
                }

                var sentences = CoqSyntax.SplitSentences(tactic).Select(s => s.Text.Trim()).ToList();
                if (sentences.Count == 0)
                {
                    return new StepResult.StepError("empty tactic");
                }

                if (sentences.Any(s => CoqSourceScan.Scan(s).Findings.Count > 0))
                {
                    return new StepResult.StepError($"'{tactic}' is not allowed in a proof search step (hole or escape hatch)");
                }

                await MoveToAsync(parent, cancellationToken);
                return await AddAndObserveAsync(new Node(parent, sentences), cancellationToken);
            },
            cancellationToken);

    /// <summary>Runs a query (<c>Search</c>, <c>Check</c>, <c>Print</c>) at a state and returns its messages.</summary>
    public Task<string> QueryAsync(ProofStateId state, string query, CancellationToken cancellationToken = default) =>
        ExclusiveAsync(
            async () =>
            {
                await MoveToAsync(checked((int)state.Value), cancellationToken);
                var frames = await RequestAsync(CoqXml.Query(query, _tipCoqState), cancellationToken);
                return string.Join("\n", frames.Where(f => f.Name == "feedback")
                    .SelectMany(f => f.Descendants("message"))
                    .Select(m => CoqXml.Text(m.Element("richpp"))));
            },
            cancellationToken);

    /// <summary>One request at a time: coqidetop's state is a single tip that every call moves.</summary>
    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _uses++;
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && _healthy)
            {
                await _process.SendAsync(CoqXml.Quit() + "\n");
            }
        }
        catch (ProverCrashedException)
        {
        }

        await _process.DisposeAsync();
        _gate.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<StepResult> AddAndObserveAsync(Node node, CancellationToken cancellationToken)
    {
        var before = _tipCoqState;
        var coqStates = new List<int>();
        foreach (var sentence in node.Sentences)
        {
            var added = await CallAsync(CoqXml.Add(sentence, _tipCoqState), cancellationToken);
            if (CoqXml.IsFail(added))
            {
                await RollBackAsync(before, cancellationToken);
                return new StepResult.StepError(CoqXml.ErrorText(added));
            }

            _tipCoqState = CoqXml.StateId(added);
            coqStates.Add(_tipCoqState);
        }

        var goal = await CallAsync(CoqXml.Goal(), cancellationToken);
        if (CoqXml.IsFail(goal))
        {
            await RollBackAsync(before, cancellationToken);
            return new StepResult.StepError(CoqXml.ErrorText(goal));
        }

        var index = _nodes.Count;
        _nodes.Add(node with { CoqState = _tipCoqState });
        _live = node.Parent < 0 ? [index] : [.. _live, index];
        var goals = goal.Descendants("goals").FirstOrDefault();
        if (goals is null)
        {
            return new StepResult.StepError("not in proof mode after this step (the statement is not a Theorem/Lemma/Goal, or the proof was closed)");
        }

        var read = CoqXml.ReadGoals(goals);
        var id = new ProofStateId(index);
        if (read.AllDone)
        {
            return new StepResult.ProofFinished(id);
        }

        if (read.GivenUp.Count > 0)
        {
            return new StepResult.StepError("the step gave up goals (admit)");
        }

        return new StepResult.Goals(id, read.Foreground.Count > 0 ? read.Foreground : [.. read.Background, .. read.Shelved]);
    }

    /// <summary>Makes <paramref name="target"/> (a node index, or -1 for the header) the tip, replaying discarded steps.</summary>
    private async Task MoveToAsync(int target, CancellationToken cancellationToken)
    {
        var path = new List<int>();
        for (var n = target; n >= 0; n = _nodes[n].Parent)
        {
            path.Insert(0, n);
        }

        var common = 0;
        while (common < path.Count && common < _live.Count && path[common] == _live[common])
        {
            common++;
        }

        var anchor = common == 0 ? _rootCoqState : _nodes[path[common - 1]].CoqState;
        if (anchor != _tipCoqState)
        {
            await RollBackAsync(anchor, cancellationToken);
        }

        _live = path.Take(common).ToList();
        foreach (var index in path.Skip(common))
        {
            var node = _nodes[index];
            foreach (var sentence in node.Sentences)
            {
                var added = await CallAsync(CoqXml.Add(sentence, _tipCoqState), cancellationToken);
                if (CoqXml.IsFail(added))
                {
                    throw new ProverCrashedException($"coqidetop refused to replay '{sentence}', which it accepted before");
                }

                _tipCoqState = CoqXml.StateId(added);
            }

            _nodes[index] = node with { CoqState = _tipCoqState };
            _live.Add(index);
        }
    }

    private async Task RollBackAsync(int coqState, CancellationToken cancellationToken)
    {
        var edit = await CallAsync(CoqXml.EditAt(coqState), cancellationToken);
        if (CoqXml.IsFail(edit))
        {
            throw new ProverCrashedException($"coqidetop could not go back to state {coqState}: {CoqXml.ErrorText(edit)}");
        }

        _tipCoqState = coqState;
    }

    private async Task<XElement> CallAsync(string call, CancellationToken cancellationToken)
    {
        var frames = await RequestAsync(call, cancellationToken);
        return frames[^1];
    }

    private async Task<IReadOnlyList<XElement>> RequestAsync(string call, CancellationToken cancellationToken)
    {
        try
        {
            var raw = await _process.RequestAsync(call + "\n", frame => frame.StartsWith("<value", StringComparison.Ordinal), _stepTimeout, cancellationToken);
            return [.. raw.Select(CoqXml.ParseElement)];
        }
        catch (Exception exception) when (exception is ProverTimeoutException or ProverCrashedException)
        {
            _healthy = false;
            _logger.LogWarning(exception, "coqidetop session lost");
            throw;
        }
    }


    private sealed record Node(int Parent, IReadOnlyList<string> Sentences)
    {
        public int CoqState { get; init; } = -1;
    }
}

/// <summary>Opens <see cref="CoqIdeTopSession"/>s.</summary>
public sealed class CoqInteractiveProver(CoqOptions options, IProcessIsolation isolation, ILoggerFactory? loggerFactory = null) : IInteractiveProver
{
    public ProofLanguage Language => ProofLanguage.Coq;

    public async Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default) =>
        await CoqIdeTopSession.StartAsync(options, isolation, header, budget, loggerFactory?.CreateLogger<CoqIdeTopSession>(), cancellationToken);
}
