using System.Text.Json.Nodes;

namespace ProofAgent.Provers.Isabelle;

/// <summary>The replies of one asynchronous command: its task id, the notes it emitted, and the final FINISHED/FAILED.</summary>
public sealed record IsabelleTaskReplies(string? Task, IReadOnlyList<IsabelleMessage> Notes, IsabelleMessage Final)
{
    public bool Finished => Final.Kind == IsabelleReplyKind.Finished;
}

/// <summary>A command the server refused (<c>ERROR</c>) or a task that ended in <c>FAILED</c>.</summary>
public sealed class IsabelleCommandException(string command, IsabelleMessage reply)
    : Exception($"isabelle server: {command} answered {reply}")
{
    public IsabelleMessage Reply { get; } = reply;
}

/// <summary>
/// A client of the Isabelle server protocol over <c>isabelle server -n NAME -c</c>, whose console mode passes the
/// server's byte messages through stdin/stdout (and presents the password itself). The first stdout line is the
/// server banner, then the connection greeting <c>OK {"isabelle_id":...,"isabelle_name":...}</c>. Commands are
/// <c>name JSON</c> lines; synchronous ones answer OK/ERROR, asynchronous ones answer <c>OK {"task":id}</c>, then
/// <c>NOTE</c>s and finally <c>FINISHED</c> or <c>FAILED</c>. One command at a time.
/// </summary>
public sealed class IsabelleServerSession : IAsyncDisposable
{
    private readonly InteractiveProcess<IsabelleMessage> _process;
    private readonly ILogger _logger;
    private bool _healthy = true;

    private IsabelleServerSession(InteractiveProcess<IsabelleMessage> process, ILogger logger)
    {
        _process = process;
        _logger = logger;
    }

    /// <summary>The greeting's <c>isabelle_name</c> (e.g. <c>Isabelle2025</c>), when it gave one.</summary>
    public string? IsabelleName { get; private set; }

    /// <summary>The greeting's <c>isabelle_id</c>, when it gave one.</summary>
    public string? IsabelleId { get; private set; }

    /// <summary>False after a timeout, crash or malformed output.</summary>
    public bool IsHealthy => _healthy && !_process.HasExited;

    public int ProcessId => _process.ProcessId;

    /// <summary>The console command for a private server of the given name.</summary>
    public static ProcessSpec ConsoleSpec(string isabelle, string serverName) => new(isabelle, ["server", "-n", serverName, "-c"]);

    /// <summary>Starts the process and waits for the connection greeting.</summary>
    public static async Task<IsabelleServerSession> StartAsync(
        ProcessSpec spec,
        ProcessLimits limits,
        IProcessIsolation isolation,
        TimeSpan greetingTimeout,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var process = InteractiveProcess<IsabelleMessage>.Start(spec, limits, new IsabelleFrameDecoder(), isolation, logger);
        var session = new IsabelleServerSession(process, logger ?? NullLogger.Instance);
        return await session.DisposeOnFailureAsync(async () =>
        {
            var started = DateTime.UtcNow;
            while (true)
            {
                var left = greetingTimeout - (DateTime.UtcNow - started);
                var message = await process.ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancellationToken);
                switch (message.Kind)
                {
                    case IsabelleReplyKind.Ok:
                        if (message.Json is JsonObject greeting)
                        {
                            session.IsabelleName = IsabelleJson.OptionalString(greeting, "isabelle_name");
                            session.IsabelleId = IsabelleJson.OptionalString(greeting, "isabelle_id");
                        }

                        return session;
                    case IsabelleReplyKind.Other:
                        continue; // the banner line `server "name" = 127.0.0.1:port (password "...")` (never logged: it holds the password)
                    case IsabelleReplyKind.Malformed:
                        throw new ProverCrashedException($"isabelle server sent malformed output before its greeting: {message.Argument}");
                    default:
                        throw new ProverCrashedException($"isabelle server did not greet the connection: {message}");
                }
            }
        });
    }

    /// <summary>Runs a synchronous command and returns its OK reply; ERROR throws <see cref="IsabelleCommandException"/>.</summary>
    public async Task<IsabelleMessage> CommandAsync(string command, JsonNode? argument, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var frames = await RequestAsync(command, argument, m => m.IsFinal(asynchronous: false), timeout, cancellationToken);
        var reply = frames.Last(m => m.IsFinal(asynchronous: false));
        ThrowIfMalformed(reply);
        return reply.Kind == IsabelleReplyKind.Ok ? reply : throw new IsabelleCommandException(command, reply);
    }

    /// <summary>Runs an asynchronous command to its FINISHED or FAILED reply (both returned; ERROR throws).</summary>
    public async Task<IsabelleTaskReplies> TaskAsync(string command, JsonNode? argument, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        string? task = null;
        var frames = await RequestAsync(
            command,
            argument,
            m =>
            {
                if (m.Kind is IsabelleReplyKind.Error or IsabelleReplyKind.Malformed)
                {
                    return true;
                }

                if (task is null && m.Kind == IsabelleReplyKind.Ok)
                {
                    task = m.Task;
                    return false;
                }

                return m.Kind is IsabelleReplyKind.Finished or IsabelleReplyKind.Failed && (task is null || m.Task is null || m.Task == task);
            },
            timeout,
            cancellationToken);
        var final = frames[^1];
        ThrowIfMalformed(final);
        if (final.Kind == IsabelleReplyKind.Error)
        {
            throw new IsabelleCommandException(command, final);
        }

        return new IsabelleTaskReplies(task, [.. frames.Where(f => f.Kind == IsabelleReplyKind.Note)], final);
    }

    /// <summary><c>session_start</c>: loads (building when needed) a logic image and returns the session id.</summary>
    public async Task<IsabelleSessionStarted> StartSessionAsync(IsabelleOptions options, CancellationToken cancellationToken = default)
    {
        var argument = new JsonObject
        {
            ["session"] = options.Session,
            ["dirs"] = new JsonArray([.. options.SessionDirectories.Select(d => (JsonNode?)JsonValue.Create(d))]),
            ["options"] = new JsonArray([.. options.SessionOptions.Select(o => (JsonNode?)JsonValue.Create(o))]),
        };
        var replies = await TaskAsync("session_start", argument, options.StartTimeout, cancellationToken);
        if (!replies.Finished)
        {
            throw new IsabelleCommandException("session_start", replies.Final);
        }

        return IsabelleSessionStarted.FromJson(replies.Final.Json);
    }

    /// <summary><c>use_theories</c>: checks theory files of <paramref name="masterDirectory"/> in the session.</summary>
    public async Task<UseTheoriesResult> UseTheoriesAsync(
        string sessionId,
        IReadOnlyList<string> theories,
        string masterDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var argument = new JsonObject
        {
            ["session_id"] = sessionId,
            ["theories"] = new JsonArray([.. theories.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["master_dir"] = masterDirectory,
            ["unicode_symbols"] = false,
            ["watchdog_timeout"] = Math.Max(1, timeout.TotalSeconds),
        };
        var replies = await TaskAsync("use_theories", argument, timeout + TimeSpan.FromSeconds(5), cancellationToken);
        if (!replies.Finished)
        {
            throw new IsabelleCommandException("use_theories", replies.Final);
        }

        return UseTheoriesResult.FromJson(replies.Final.Json);
    }

    /// <summary><c>purge_theories</c> of everything loaded, so a session can be reused for unrelated text.</summary>
    public Task<IsabelleMessage> PurgeAllAsync(string sessionId, CancellationToken cancellationToken = default) =>
        CommandAsync("purge_theories", new JsonObject { ["session_id"] = sessionId, ["theories"] = new JsonArray(), ["all"] = true }, TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary><c>session_stop</c>.</summary>
    public Task<IsabelleTaskReplies> StopSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        TaskAsync("session_stop", new JsonObject { ["session_id"] = sessionId }, TimeSpan.FromSeconds(30), cancellationToken);

    /// <summary>Asks the private server to shut down, then ends the process (killing it after the grace period).</summary>
    public async ValueTask DisposeAsync()
    {
        if (IsHealthy)
        {
            try
            {
                await CommandAsync("shutdown", null, TimeSpan.FromSeconds(5));
            }
            catch (Exception exception) when (exception is ProverTimeoutException or ProverCrashedException or IsabelleCommandException or InvalidOperationException)
            {
                _logger.LogDebug(exception, "isabelle server shutdown was not acknowledged");
            }
        }

        await _process.DisposeAsync();
    }

    private async Task<IReadOnlyList<IsabelleMessage>> RequestAsync(
        string command,
        JsonNode? argument,
        Func<IsabelleMessage, bool> isLast,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var line = argument is null ? command + "\n" : command + " " + argument.ToJsonString() + "\n";
        try
        {
            var frames = await _process.RequestAsync(line, isLast, timeout, cancellationToken);
            if (frames.Any(f => f.Kind == IsabelleReplyKind.Malformed))
            {
                _healthy = false;
            }

            return frames;
        }
        catch (Exception exception) when (exception is ProverTimeoutException or ProverCrashedException)
        {
            _healthy = false;
            throw;
        }
    }

    private void ThrowIfMalformed(IsabelleMessage reply)
    {
        if (reply.Kind == IsabelleReplyKind.Malformed)
        {
            _healthy = false;
            throw new ProverCrashedException($"isabelle server sent malformed output: {reply.Argument}");
        }
    }
}
