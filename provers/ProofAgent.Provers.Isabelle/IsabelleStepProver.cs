using System.Globalization;

namespace ProofAgent.Provers.Isabelle;

/// <summary>
/// Step mode: one proof method at a time. A state is the statement plus the list of proof commands applied so far;
/// running a method writes a fresh theory <c>header + lemma + commands + print_state + oops</c> and reads the goals
/// printed by <c>print_state</c>. States stay valid, so a search can branch. A finished state is a search signal only:
/// acceptance goes through <see cref="IsabelleChecker"/>.
/// </summary>
public sealed class IsabelleStepProver(IsabelleOptions options, IProcessIsolation isolation, ILogger<IsabelleStepProver>? logger = null) : IInteractiveProver
{
    public ProofLanguage Language => ProofLanguage.Isabelle;

    /// <summary>Opens a session; <paramref name="header"/> is the imports (e.g. <c>Main "HOL-Library.Multiset"</c>).</summary>
    public async Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default)
    {
        var path = ExecutableLocator.Find(options.Isabelle)
            ?? throw new InvalidOperationException($"'{options.Isabelle}' was not found on PATH: {IsabelleChecker.InstallHint}");
        var imports = header.Trim();
        foreach (var word in IsabelleSourceScan.Tokenize(imports, out _))
        {
            if (word.Text.Contains('/', StringComparison.Ordinal) || word.Text.Contains('$', StringComparison.Ordinal))
            {
                throw new ArgumentException($"import '{word.Text}' names a file path; only theory names are allowed", nameof(header));
            }
        }

        var limits = new ProcessLimits(TimeSpan.FromHours(12)) { MemoryBytes = options.MemoryBytes, GracePeriod = TimeSpan.FromSeconds(3) };
        var server = await IsabelleServerSession.StartAsync(
            IsabelleServerSession.ConsoleSpec(path, "proofagent-" + Guid.NewGuid().ToString("N")[..12]), limits, isolation, options.StartTimeout,
            (ILogger?)logger ?? NullLogger.Instance, cancellationToken);
        return await server.DisposeOnFailureAsync<IProverSession>(async () =>
        {
            var session = await server.StartSessionAsync(options, cancellationToken);
            return new IsabelleStepSession(server, session.SessionId, imports.Length == 0 ? "Main" : imports, budget.WallClock,
                new ProverIdentity("isabelle", server.IsabelleName ?? "unknown"));
        });
    }
}

/// <summary>A live step-mode session over one Isabelle server (see <see cref="IsabelleStepProver"/>).</summary>
public sealed class IsabelleStepSession : IProverSession
{
    private readonly IsabelleServerSession _server;
    private readonly string _sessionId;
    private readonly string _imports;
    private readonly TimeSpan _stepTimeout;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory(JobFolder.OwnedPrefix("proofagent-isabelle-step-"));
    private readonly Dictionary<long, (string Statement, IReadOnlyList<string> Commands)> _states = [];
    private long _next;
    private int _uses;

    internal IsabelleStepSession(IsabelleServerSession server, string sessionId, string imports, TimeSpan stepTimeout, ProverIdentity identity)
    {
        _server = server;
        _sessionId = sessionId;
        _imports = imports;
        _stepTimeout = stepTimeout;
        Identity = identity;
    }

    public ProverIdentity Identity { get; }

    public bool IsHealthy => _server.IsHealthy;

    public int Uses => _uses;

    public Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default)
    {
        var text = statement.Trim();
        if (!text.StartsWith("lemma", StringComparison.Ordinal) && !text.StartsWith("theorem", StringComparison.Ordinal))
        {
            text = "lemma " + text;
        }

        return RunAsync(text, [], cancellationToken);
    }

    public Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default)
    {
        if (!_states.TryGetValue(state.Value, out var known))
        {
            return Task.FromResult<StepResult>(new StepResult.StepError($"unknown proof state {state}"));
        }

        var command = ProofCommand(tactic);
        if (command is null)
        {
            return Task.FromResult<StepResult>(new StepResult.StepError($"'{tactic}' is not an allowed proof step"));
        }

        return RunAsync(known.Statement, [.. known.Commands, command], cancellationToken);
    }

    /// <summary>Runs sledgehammer on a state and returns the proofs it found (each must still be checked).</summary>
    public async Task<IReadOnlyList<SledgehammerSuggestion>> SledgehammerAsync(ProofStateId state, string parameters = "", CancellationToken cancellationToken = default)
    {
        if (!_states.TryGetValue(state.Value, out var known))
        {
            throw new ArgumentException($"unknown proof state {state}", nameof(state));
        }

        var (name, text, _) = Theory(known.Statement, known.Commands, parameters.Length == 0 ? "sledgehammer" : $"sledgehammer [{parameters}]");
        var result = await UseAsync(name, text, cancellationToken);
        return IsabelleOutput.ParseTryThis(result.AllMessages.Where(m => !m.IsError).Select(m => m.Message));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A proof method becomes <c>apply (method)</c>; Isar proof commands pass through; holes and ML are refused.</summary>
    internal static string? ProofCommand(string tactic)
    {
        var text = tactic.Trim();
        if (text.Length == 0 || text.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        var gate = IsabelleSourceScan.Scan("theory T imports Main begin\n" + text + "\nend");
        if (gate.Findings.Count > 0)
        {
            return null;
        }

        var first = text.Split(' ', 2)[0];
        return first is "apply" or "by" or "using" or "unfolding" or "done" or "subgoal" or "including" or "supply" or "defer" or "prefer" or "back"
            ? text
            : $"apply ({text})";
    }

    private async Task<StepResult> RunAsync(string statement, IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        var (name, text, stateLine) = Theory(statement, commands, "print_state");
        var gate = IsabelleSourceScan.Scan(text);
        if (gate.Violations.Any() || gate.Holes.Any(h => h.Line != stateLine + 1))
        {
            return new StepResult.StepError("the step uses a forbidden command: " + string.Join("; ", gate.Findings.Select(f => f.Message)));
        }

        var result = await UseAsync(name, text, cancellationToken);
        var error = result.Errors.Concat(result.AllMessages).FirstOrDefault(m => m.IsError && m.Position?.Line != stateLine + 1);
        if (error is not null)
        {
            return new StepResult.StepError(error.Message, new Diagnostic(DiagnosticSeverity.Error, 1, 1, error.Message));
        }

        var printed = result.AllMessages.Where(m => !m.IsError && m.Position?.Line == stateLine).Select(m => IsabelleOutput.ParseGoals(m.Message)).FirstOrDefault(g => g is not null);
        if (printed is null)
        {
            return new StepResult.StepError("print_state showed no goal state");
        }

        var id = new ProofStateId(++_next);
        _states[id.Value] = (statement, commands);
        return printed.Count == 0 ? new StepResult.ProofFinished(id) : new StepResult.Goals(id, printed);
    }

    private (string Name, string Text, int DiagnosticLine) Theory(string statement, IReadOnlyList<string> commands, string diagnostic)
    {
        var name = "ProofAgent_Step_" + (_uses + 1).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        var lines = new List<string> { $"theory {name}", $"  imports {_imports}", "begin", statement };
        lines.AddRange(commands);
        lines.Add(diagnostic);
        var diagnosticLine = lines.Count;
        lines.Add("oops");
        lines.Add("end");
        return (name, string.Join('\n', lines) + "\n", diagnosticLine);
    }

    private async Task<UseTheoriesResult> UseAsync(string name, string text, CancellationToken cancellationToken)
    {
        _uses++;
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, name + ".thy"), text, new UTF8Encoding(false), cancellationToken);
        try
        {
            return await _server.UseTheoriesAsync(_sessionId, [name], _directory.FullName, _stepTimeout, cancellationToken);
        }
        finally
        {
            if (_server.IsHealthy)
            {
                await _server.PurgeAllAsync(_sessionId, cancellationToken);
            }
        }
    }
}
