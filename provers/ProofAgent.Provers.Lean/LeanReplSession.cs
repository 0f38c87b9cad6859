using System.Globalization;

namespace ProofAgent.Provers.Lean;

/// <summary>
/// One live Lean REPL process (leanprover-community/repl): JSON requests, blank-line framed JSON responses. Its import header is
/// elaborated once, at start; every later command runs in that environment (<c>"env": HeaderEnv</c>), and tactics run on proof
/// states by id. One request in flight at a time. A timeout kills the process tree and leaves the session unhealthy.
/// </summary>
public sealed class LeanReplSession : IProverSession
{
    private readonly InteractiveProcess<string> _process;
    private readonly TimeSpan _tacticTimeout;
    private readonly ILogger _logger;
    private int _uses;
    private volatile bool _healthy = true;

    private LeanReplSession(InteractiveProcess<string> process, string header, ProverIdentity identity, TimeSpan tacticTimeout, ILogger logger)
    {
        _process = process;
        Header = header;
        Identity = identity;
        _tacticTimeout = tacticTimeout;
        _logger = logger;
    }

    public ProverIdentity Identity { get; }

    /// <summary>The normalized import header this process elaborated (the pool key).</summary>
    public string Header { get; }

    /// <summary>The environment holding the header; null for an empty header (commands then start from a fresh prelude).</summary>
    public int? HeaderEnv { get; private set; }

    public bool IsHealthy => _healthy && !_process.HasExited;

    public int Uses => _uses;

    public int ProcessId => _process.ProcessId;

    /// <summary>
    /// Starts a REPL with <paramref name="spec"/> and elaborates <paramref name="header"/> within <paramref name="limits"/>' timeout.
    /// Throws <see cref="ProverTimeoutException"/>, <see cref="ProverCrashedException"/>, or <see cref="InvalidOperationException"/>
    /// when the header itself does not elaborate.
    /// </summary>
    public static async Task<LeanReplSession> StartAsync(
        ProcessSpec spec,
        ProcessLimits limits,
        IProcessIsolation isolation,
        string header,
        ProverIdentity identity,
        TimeSpan tacticTimeout,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var log = logger ?? NullLogger.Instance;
        var process = InteractiveProcess<string>.Start(spec, limits, new BlankLineFrameDecoder(), isolation, log);
        var normalized = LeanText.NormalizeHeader(header);
        var session = new LeanReplSession(process, normalized, identity, tacticTimeout, log);
        if (normalized.Length == 0)
        {
            return session;
        }

        return await session.DisposeOnFailureAsync(async () =>
        {
            var response = await session.SendAsync(LeanText.CommandRequest(normalized), limits.Timeout, cancellationToken);
            if (response is not LeanReplResponse.Command command || response.HasErrors)
            {
                throw new InvalidOperationException($"the Lean import header does not elaborate: {Describe(response)}");
            }

            session.HeaderEnv = command.Env;
            return session;
        });
    }

    /// <summary>Sends one raw request (JSON plus blank line) and parses the answer. Timeouts and garbage make the session unhealthy.</summary>
    public async Task<LeanReplResponse> SendAsync(string request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _uses);
        try
        {
            var frames = await _process.RequestAsync(request, _ => true, timeout, cancellationToken);
            return LeanReplReader.Parse(frames[^1]);
        }
        catch (LeanProtocolException exception)
        {
            _healthy = false;
            _logger.LogWarning(exception, "Lean REPL {Pid} spoke outside its protocol", ProcessId);
            await _process.KillAsync();
            throw new ProverCrashedException($"the Lean REPL answered outside its protocol: {exception.Message}", inner: exception);
        }
        catch (Exception exception) when (exception is ProverTimeoutException or ProverCrashedException or OperationCanceledException)
        {
            // A cancelled request leaves an answer in flight: the process can no longer be trusted to stay in step.
            _healthy = false;
            if (exception is OperationCanceledException)
            {
                await _process.KillAsync();
            }

            throw;
        }
    }

    /// <summary>Elaborates <paramref name="body"/> (no imports) in the header's environment.</summary>
    public Task<LeanReplResponse> RunCommandAsync(string body, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        SendAsync(LeanText.CommandRequest(body, HeaderEnv), timeout, cancellationToken);

    public async Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default)
    {
        var text = StripProof(statement);
        var response = await RunCommandAsync(text + " := by sorry", _tacticTimeout, cancellationToken);
        if (response is LeanReplResponse.Error error)
        {
            return new StepResult.StepError(error.Message);
        }

        var firstError = response.Messages.FirstOrDefault(m => m.IsError);
        if (firstError is not null)
        {
            return new StepResult.StepError(firstError.Data, firstError.ToDiagnostic());
        }

        var sorry = response.Sorries.FirstOrDefault(s => s.ProofState is not null);
        if (sorry?.ProofState is not { } state)
        {
            return new StepResult.StepError("the statement produced no proof state (is it a theorem statement without its proof?)");
        }

        return new StepResult.Goals(new ProofStateId(state), LeanText.ParseGoals(sorry.Goal));
    }

    public async Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default)
    {
        var holes = LeanSourceScan.ScanTactic(tactic);
        if (holes.Count > 0)
        {
            return new StepResult.StepError($"refused tactic: {holes[0].Message}");
        }

        if (state.Value is < 0 or > int.MaxValue)
        {
            return new StepResult.StepError(string.Create(CultureInfo.InvariantCulture, $"unknown proof state {state.Value}"));
        }

        var response = await SendAsync(LeanText.TacticRequest(tactic, (int)state.Value), _tacticTimeout, cancellationToken);
        return ToStep(response);
    }

    /// <summary>Maps a tactic-mode answer to LeanDojo's union. "Finished" is a search signal only.</summary>
    public static StepResult ToStep(LeanReplResponse response)
    {
        switch (response)
        {
            case LeanReplResponse.Error error:
                return new StepResult.StepError(error.Message.StartsWith("Lean error:\n", StringComparison.Ordinal) ? error.Message["Lean error:\n".Length..] : error.Message);
            case LeanReplResponse.Tactic tactic:
                var firstError = tactic.Messages.FirstOrDefault(m => m.IsError);
                if (firstError is not null)
                {
                    return new StepResult.StepError(firstError.Data, firstError.Pos.IsKnown ? firstError.ToDiagnostic() : null);
                }

                if (tactic.IsFinished)
                {
                    return new StepResult.ProofFinished(new ProofStateId(tactic.ProofState));
                }

                if (tactic.Goals.Count == 0)
                {
                    return new StepResult.StepError($"no goals remain but the proof is not complete ({tactic.ProofStatus ?? "sorries remain"})");
                }

                return new StepResult.Goals(new ProofStateId(tactic.ProofState), [.. tactic.Goals.Select(LeanText.ParseGoal)]);
            default:
                return new StepResult.StepError($"expected a tactic-mode answer, got {response.GetType().Name}");
        }
    }

    /// <summary>Resident memory of the process and its children, from /proc (null where unreadable).</summary>
    public long? ResidentBytes() => ProcessMemory.ResidentTreeBytes(ProcessId);

    public async ValueTask DisposeAsync()
    {
        _healthy = false;
        await _process.DisposeAsync();
    }

    internal static string Describe(LeanReplResponse response) => response switch
    {
        LeanReplResponse.Error e => e.Message,
        _ when response.Messages.FirstOrDefault(m => m.IsError) is { } m => $"{m.Pos}: {m.Data}",
        _ => response.GetType().Name,
    };

    private static string StripProof(string statement)
    {
        var text = statement.TrimEnd();
        foreach (var tail in new[] { ":= by sorry", ":= sorry", ":=" })
        {
            if (text.EndsWith(tail, StringComparison.Ordinal))
            {
                return text[..^tail.Length].TrimEnd();
            }
        }

        return text;
    }
}

/// <summary>Reads resident memory from /proc (the prover's own accounting is not trusted).</summary>
internal static class ProcessMemory
{
    public static long? ResidentTreeBytes(int pid)
    {
        if (pid <= 0 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        long total = 0;
        var seen = new HashSet<int>();
        var stack = new Stack<int>([pid]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            total += Resident(current) ?? 0;
            try
            {
                foreach (var child in File.ReadAllText($"/proc/{current}/task/{current}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(child, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                    {
                        stack.Push(id);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total > 0 ? total : null;
    }

    private static long? Resident(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
