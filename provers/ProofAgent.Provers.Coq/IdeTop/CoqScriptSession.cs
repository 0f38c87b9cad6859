using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;

namespace ProofAgent.Provers.Coq.IdeTop;

/// <summary>How a script run in a <see cref="CoqScriptSession"/> ended: every line done, or the first line that failed.</summary>
/// <param name="FailedLine">The 1-based line of the script whose sentence failed; null when every line ran.</param>
/// <param name="Error">Coq's message for that sentence (or why the session was lost).</param>
/// <param name="TimedOut">The run outlived its deadline; the session was killed.</param>
internal sealed record CoqScriptOutcome(int? FailedLine, string? Error, bool TimedOut)
{
    public static CoqScriptOutcome Done { get; } = new(null, null, false);

    public bool Succeeded => FailedLine is null && Error is null && !TimedOut;
}

/// <summary>
/// A <c>coqidetop</c> process that runs scripts (the audit's), one sentence at a time, from a base state where the
/// libraries a check needs are already loaded: the libraries load while the candidate compiles, instead of after it in a
/// fresh <c>coqc</c>. Each run starts again from the base state (<c>Edit_at</c>), and the first failing sentence is
/// reported by its line, as <c>coqc</c> would. A session serves one check: the state after a candidate was required is
/// never offered to another. <c>Redirect</c> writes into <see cref="Directory"/>, the process's only writable folder.
/// </summary>
internal sealed partial class CoqScriptSession : IAsyncDisposable
{
    private readonly InteractiveProcess<string> _process;
    private readonly ILogger _logger;
    private int _baseState;
    private int _tipState;
    private bool _healthy = true;

    private CoqScriptSession(InteractiveProcess<string> process, string directory, ILogger logger)
    {
        _process = process;
        Directory = directory;
        _logger = logger;
    }

    /// <summary>The session's working folder, where <c>Redirect</c> output lands.</summary>
    public string Directory { get; }

    public bool IsHealthy => _healthy && !_process.HasExited;

    /// <summary>
    /// Starts <c>coqidetop</c> in <paramref name="directory"/> with the given libraries on its load path (read-only in a
    /// sandbox) and runs <paramref name="preload"/> (sentences that load libraries); the state after them is the base of
    /// every later run. Throws <see cref="ProverCrashedException"/> when the process or a preload sentence fails.
    /// </summary>
    public static async Task<CoqScriptSession> StartAsync(
        CoqOptions options,
        IProcessIsolation isolation,
        string directory,
        IReadOnlyList<(string Directory, string Root)> loadPaths,
        IReadOnlyList<string> preload,
        ProcessLimits limits,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var executable = ExecutableLocator.Find(options.CoqIdeTop)
            ?? throw new ProverCrashedException($"'{options.CoqIdeTop}' was not found on PATH");
        // Messages as Pp documents, laid out by CoqFrameReader: coqidetop's own layout elides deep proof terms.
        var arguments = new List<string> { "-main-channel", "stdfds", "--xml_format=Ppcmds", "-q" };
        arguments.AddRange(options.ExtraArguments);
        foreach (var (path, root) in loadPaths)
        {
            arguments.AddRange(["-Q", path, root]);
        }

        var spec = new ProcessSpec(executable, arguments)
        {
            WorkingDirectory = directory,
            PathGrants = [.. loadPaths.Select(p => PathGrant.ReadOnly(p.Directory))],
        };
        var session = new CoqScriptSession(InteractiveProcess<string>.Start(spec, limits, new CoqXmlFrameDecoder(), isolation, logger), directory, logger);
        return await session.DisposeOnFailureAsync(async () =>
        {
            var init = await session.CallAsync(CoqXml.Init(), cancellationToken);
            session._baseState = session._tipState = StateId(init);
            foreach (var sentence in preload)
            {
                if ((await session.AddAsync(sentence, cancellationToken)).Error is { } error)
                {
                    throw new ProverCrashedException($"coqidetop could not preload '{sentence}': {error}");
                }
            }

            session._baseState = session._tipState;
            return session;
        });
    }

    /// <summary>Runs <paramref name="lines"/> (one sentence or more each) from the base state, within <paramref name="timeout"/>.</summary>
    public async Task<CoqScriptOutcome> RunAsync(IReadOnlyList<string> lines, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (_tipState != _baseState)
            {
                var edit = await CallAsync(CoqXml.EditAt(_baseState), deadline.Token);
                if (edit.IsFail)
                {
                    throw new ProverCrashedException($"coqidetop could not go back to its base state: {ErrorText(edit)}");
                }

                _tipState = _baseState;
            }

            for (var i = 0; i < lines.Count; i++)
            {
                foreach (var sentence in CoqSyntax.SplitSentences(lines[i]))
                {
                    // coqidetop sends a command's output as feedback (its Redirect writes an empty file): the session
                    // runs the command itself and writes what it printed where Redirect would have.
                    var text = sentence.Text.Trim();
                    var redirect = RedirectSentence().Match(text);
                    var (error, printed) = await AddAsync(redirect.Success ? redirect.Groups["command"].Value : text, deadline.Token);
                    if (error is not null)
                    {
                        return new CoqScriptOutcome(i + 1, error, false);
                    }

                    if (redirect.Success)
                    {
                        await File.WriteAllTextAsync(Path.Combine(Directory, redirect.Groups["file"].Value + ".out"), printed, deadline.Token);
                    }
                }
            }

            return CoqScriptOutcome.Done;
        }
        catch (Exception exception) when (exception is ProverTimeoutException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _healthy = false;
            await _process.KillAsync();
            return new CoqScriptOutcome(null, "the audit timed out", true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (IsHealthy)
            {
                await _process.SendAsync(CoqXml.Quit() + "\n");
            }
        }
        catch (ProverCrashedException)
        {
        }

        await _process.DisposeAsync();
    }

    /// <summary>
    /// Adds one sentence and forces its execution: the error text when it fails (else null), and what it printed (its
    /// notices, as <c>Redirect</c> would have captured them; progress and warnings left out).
    /// </summary>
    private async Task<(string? Error, string Printed)> AddAsync(string sentence, CancellationToken cancellationToken)
    {
        var (added, addFrames) = await RequestAsync(CoqXml.Add(sentence, _tipState), cancellationToken);
        if (added.IsFail)
        {
            return (ErrorText(added), string.Empty);
        }

        var previous = _tipState;
        _tipState = StateId(added);
        var (status, statusFrames) = await RequestAsync(CoqXml.Status(), cancellationToken);
        if (status.IsFail)
        {
            // Leave the failed sentence out of the tip, so a later run can go back to the base from a clean state.
            var back = await CallAsync(CoqXml.EditAt(previous), cancellationToken);
            _tipState = back.IsFail ? _tipState : previous;
            return (ErrorText(status), string.Empty);
        }

        var notices = addFrames.Concat(statusFrames)
            .Where(f => f is { Kind: "feedback", Level: "notice" })
            .Select(f => f.Text);
        return (null, string.Join('\n', notices));
    }

    private async Task<CoqFrame> CallAsync(string call, CancellationToken cancellationToken) => (await RequestAsync(call, cancellationToken)).Value;

    private async Task<(CoqFrame Value, IReadOnlyList<CoqFrame> Frames)> RequestAsync(string call, CancellationToken cancellationToken)
    {
        try
        {
            var raw = await _process.RequestAsync(call + "\n", frame => frame.StartsWith("<value", StringComparison.Ordinal), cancellationToken: cancellationToken);
            // Read in one streaming pass: a printed proof term nests thousands deep (see CoqFrameReader).
            var frames = raw.Select(CoqFrameReader.Read).ToList();
            return (frames[^1], frames);
        }
        catch (ProverCrashedException exception)
        {
            _healthy = false;
            _logger.LogWarning(exception, "coqidetop audit session lost: {Error}", _process.StandardError);
            throw;
        }
    }

    /// <summary>The state id of an answer; an answer without one means the protocol broke.</summary>
    private static int StateId(CoqFrame value) =>
        value.StateId ?? throw new ProverCrashedException($"coqidetop answered without a state id ({value.Kind})");

    private static string ErrorText(CoqFrame value) =>
        value.Text.Length > 0 ? value.Text : "coqidetop reported a failure without a message";

    // The audit's redirections: a file name of its own making, then the command.
    [GeneratedRegex(@"^Redirect ""(?<file>[A-Za-z0-9_]+)"" (?<command>.+)$", RegexOptions.Singleline)]
    private static partial Regex RedirectSentence();
}
