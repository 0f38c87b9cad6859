using System.Globalization;
using System.Text.Json.Nodes;

namespace ProofAgent.Provers.FStar;

/// <summary>The answer to one IDE query and the messages (progress, proof states, ...) that came before it.</summary>
public sealed record FStarQueryResult(FStarIdeFrame.Response Response, IReadOnlyList<FStarIdeFrame.Message> Messages)
{
    /// <summary>Goals of the last <c>proof-state</c> message, if any.</summary>
    public IReadOnlyList<Goal> LastProofState =>
        Messages.LastOrDefault(m => m.Level == "proof-state") is { } state ? FStarIdeProtocol.Goals(state.Contents) : [];
}

/// <summary>
/// A client of <c>fstar.exe --ide FILE</c>: one JSON query per line in, JSON lines out, the first being protocol-info.
/// Queries get increasing ids; a query's answer is the <c>response</c> with its id. One query at a time.
/// </summary>
public sealed class FStarIdeSession : IAsyncDisposable
{
    private readonly InteractiveProcess<string> _process;
    private int _nextId;
    private bool _healthy = true;

    private FStarIdeSession(InteractiveProcess<string> process, FStarIdeFrame.ProtocolInfo info)
    {
        _process = process;
        Info = info;
    }

    public FStarIdeFrame.ProtocolInfo Info { get; }

    public bool IsHealthy => _healthy && !_process.HasExited;

    public int ProcessId => _process.ProcessId;

    /// <summary>Starts F* in IDE mode on <paramref name="file"/> with the gate's arguments and waits for protocol-info.</summary>
    public static ProcessSpec Spec(string fstar, string file, FStarOptions options) =>
        new(fstar, ["--ide", file, .. FStarOptions.GateArguments, .. options.ExtraArguments]) { WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(file)) };

    public static async Task<FStarIdeSession> StartAsync(ProcessSpec spec, ProcessLimits limits, IProcessIsolation isolation, TimeSpan startTimeout, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var process = InteractiveProcess<string>.Start(spec, limits, new LineFrameDecoder(), isolation, logger);
        return await process.DisposeOnFailureAsync(async () =>
        {
            var started = DateTime.UtcNow;
            while (true)
            {
                var left = startTimeout - (DateTime.UtcNow - started);
                var line = await process.ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancellationToken);
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var frame = FStarIdeProtocol.Parse(line);
                if (frame is FStarIdeFrame.ProtocolInfo info)
                {
                    return new FStarIdeSession(process, info);
                }

                if (frame is FStarIdeFrame.Malformed malformed)
                {
                    throw new ProverCrashedException($"fstar.exe --ide printed something that is not the protocol: {malformed.Reason}: {Preview(line)}");
                }
            }
        });
    }

    /// <summary>Sends a query and waits for its response (at most <paramref name="timeout"/>).</summary>
    public async Task<FStarQueryResult> QueryAsync(string query, JsonObject args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
        var messages = new List<FStarIdeFrame.Message>();
        FStarIdeFrame.Response? response = null;
        string? malformed = null;
        try
        {
            await _process.RequestAsync(
                FStarIdeProtocol.Query(id, query, args),
                line =>
                {
                    if (line.Trim().Length == 0)
                    {
                        return false;
                    }

                    switch (FStarIdeProtocol.Parse(line))
                    {
                        case FStarIdeFrame.Response r when r.QueryId == id:
                            response = r;
                            return true;
                        case FStarIdeFrame.Message m:
                            messages.Add(m);
                            return false;
                        case FStarIdeFrame.Malformed bad:
                            malformed = $"{bad.Reason}: {Preview(bad.Line)}";
                            return true;
                        default:
                            return false;
                    }
                },
                timeout,
                cancellationToken);
        }
        catch (Exception exception) when (exception is ProverTimeoutException or ProverCrashedException)
        {
            _healthy = false;
            throw;
        }

        if (malformed is not null || response is null)
        {
            _healthy = false;
            throw new ProverCrashedException($"fstar.exe --ide answered query {id} ({query}) with malformed output: {malformed}");
        }

        return new FStarQueryResult(response, messages);
    }

    /// <summary><c>push</c> a fragment (<c>full</c> verifies; <c>lax</c> only type-checks and never proves anything).</summary>
    public Task<FStarQueryResult> PushAsync(string code, bool full, int line, int column, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        QueryAsync("push", FStarIdeProtocol.PushArgs(full ? "full" : "lax", code, line, column), timeout, cancellationToken);

    /// <summary><c>peek</c>: checks a fragment without keeping it.</summary>
    public Task<FStarQueryResult> PeekAsync(string code, bool full, int line, int column, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        QueryAsync("peek", FStarIdeProtocol.PushArgs(full ? "full" : "lax", code, line, column), timeout, cancellationToken);

    /// <summary><c>pop</c>: undoes the last push.</summary>
    public Task<FStarQueryResult> PopAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        QueryAsync("pop", [], timeout, cancellationToken);

    /// <summary>Loads the session's file up to (not including) a definition, as the F* dataset harness does.</summary>
    public Task<FStarQueryResult> PushPartialCheckedFileAsync(string untilLid, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        QueryAsync("push-partial-checked-file", new JsonObject { ["until-lid"] = untilLid }, timeout, cancellationToken);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string Preview(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
