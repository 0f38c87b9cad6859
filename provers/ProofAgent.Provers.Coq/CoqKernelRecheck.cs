using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;

namespace ProofAgent.Provers.Coq;

/// <summary>What <c>coqchk</c> concluded about the compiled candidate. Closed: switch on the type.</summary>
public abstract record CoqchkOutcome
{
    private CoqchkOutcome()
    {
    }

    /// <summary>
    /// The checker accepted the libraries it was asked to check. Its context summary: every axiom of the environment
    /// (fully qualified), and the constants that rely on disabled checks (each should be empty).
    /// </summary>
    public sealed record Accepted(
        IReadOnlyList<string> Axioms,
        IReadOnlyList<string> TypeInType,
        IReadOnlyList<string> UnsafeFixpoints,
        IReadOnlyList<string> AssumedPositive) : CoqchkOutcome
    {
        /// <summary>The disabled-check lists, as reasons; empty when the checker saw no disabled check.</summary>
        public IReadOnlyList<string> UnsafeReasons =>
        [
            .. TypeInType.Select(n => $"coqchk: {n} relies on type-in-type"),
            .. UnsafeFixpoints.Select(n => $"coqchk: {n} relies on an unchecked (co)fixpoint"),
            .. AssumedPositive.Select(n => $"coqchk: the positivity of {n} is assumed"),
        ];
    }

    /// <summary>The checker rejected a compiled library (a type error the compiler's kernel let through).</summary>
    public sealed record Rejected(string Message) : CoqchkOutcome;

    /// <summary>The checker did not finish in time.</summary>
    public sealed record TimedOut(TimeSpan Limit) : CoqchkOutcome;

    /// <summary><c>coqchk</c> is not installed: no Coq verdict can be <c>proved</c> (fail closed).</summary>
    public sealed record Missing(string Reason) : CoqchkOutcome;
}

/// <summary>
/// Runs <c>coqchk</c>, Coq's separate and smaller kernel, on the candidate's compiled <c>.vo</c> (and on the shared
/// header's, which is also the submitter's), trusting the installed libraries (<c>-norec</c>): the second checker behind
/// every Coq verdict. It runs in the same sandbox and under the same limits as <c>coqc</c>.
/// </summary>
public sealed class CoqKernelRecheck(CoqOptions options, IProcessRunner runner)
{
    /// <summary>Re-checks <paramref name="libraries"/> (logical names), with <paramref name="loadPaths"/> as (folder, logical root) pairs.</summary>
    public async Task<CoqchkOutcome> CheckAsync(
        IReadOnlyList<string> libraries,
        IReadOnlyList<(string Directory, string Root)> loadPaths,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        ArgumentNullException.ThrowIfNull(loadPaths);
        if (ExecutableLocator.Find(options.Coqchk) is null)
        {
            return new CoqchkOutcome.Missing($"'{options.Coqchk}' was not found on PATH (it ships with Coq: `apt-get install coq`)");
        }

        var arguments = new List<string> { "-silent", "-o" };
        foreach (var (directory, root) in loadPaths)
        {
            arguments.AddRange(["-R", directory, root]);
        }

        foreach (var library in libraries)
        {
            arguments.AddRange(["-norec", library]);
        }

        var spec = new ProcessSpec(options.Coqchk, arguments)
        {
            WorkingDirectory = loadPaths[0].Directory,
            PathGrants = [.. loadPaths.Select(p => PathGrant.ReadOnly(p.Directory))],
        };
        var outcome = await runner.RunAsync(spec, new ProcessLimits(timeout), cancellationToken);
        if (outcome.TimedOut)
        {
            return new CoqchkOutcome.TimedOut(timeout);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Parse(outcome.ExitCode, outcome.StandardOutput, outcome.StandardError);
    }

    /// <summary>Reads <c>coqchk -o</c>'s exit code and context summary; anything but a clean summary is a rejection.</summary>
    public static CoqchkOutcome Parse(int? exitCode, string standardOutput, string standardError)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        ArgumentNullException.ThrowIfNull(standardError);
        // coqchk prints its summary on stderr (its own output only: a compiled library runs no code when checked).
        var text = (standardOutput + "\n" + standardError).Replace("\r", string.Empty, StringComparison.Ordinal);
        if (exitCode != 0)
        {
            var message = text.Trim();
            var error = message.IndexOf("Fatal Error:", StringComparison.Ordinal) is var at and >= 0 ? message[at..] : message;
            return new CoqchkOutcome.Rejected(error.Length > 600 ? error[..600] + "…" : error.Length == 0 ? $"coqchk exited with code {exitCode}" : error);
        }

        var summary = text.IndexOf("CONTEXT SUMMARY", StringComparison.Ordinal);
        if (summary < 0)
        {
            var said = text.Trim();
            return new CoqchkOutcome.Rejected($"coqchk printed no context summary{(said.Length > 0 ? ": " + (said.Length > 400 ? said[..400] + "…" : said) : string.Empty)}");
        }

        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var raw in text[summary..].Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("* ", StringComparison.Ordinal))
            {
                var header = line[2..];
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? header : header[..colon];
                current = sections[name] = [];
                var rest = colon < 0 ? string.Empty : header[(colon + 1)..].Trim();
                if (rest.Length > 0 && rest != "<none>" && !name.StartsWith("Theory", StringComparison.Ordinal))
                {
                    current.Add(rest);
                }

                continue;
            }

            if (current is not null && line.Length > 0 && line != "<none>")
            {
                current.Add(line);
            }
        }

        if (sections.TryGetValue("Theory", out _) && text.Contains("impredicative", StringComparison.OrdinalIgnoreCase))
        {
            return new CoqchkOutcome.Rejected("coqchk reports an impredicative Set");
        }

        string[] required = ["Axioms", "Constants/Inductives relying on type-in-type", "Constants/Inductives relying on unsafe (co)fixpoints", "Inductives whose positivity is assumed"];
        if (required.FirstOrDefault(r => !sections.ContainsKey(r)) is { } absent)
        {
            return new CoqchkOutcome.Rejected($"coqchk's context summary has no '{absent}' section");
        }

        return new CoqchkOutcome.Accepted(sections[required[0]], sections[required[1]], sections[required[2]], sections[required[3]]);
    }
}
