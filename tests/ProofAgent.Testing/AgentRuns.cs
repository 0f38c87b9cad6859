using System.Diagnostics;
using System.Text.Json;

namespace ProofAgent.Testing;

/// <summary>What a process printed, and how it exited.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The one JSON object of a <c>--json</c> run (the CLI contract: stdout holds exactly one JSON line).</summary>
    public JsonElement Json
    {
        get
        {
            var lines = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length != 1)
            {
                throw new InvalidOperationException($"exit code {ExitCode}, stdout must hold exactly one JSON line, got {lines.Length}:\n{Stdout}\nstderr:\n{Stderr}");
            }

            return JsonDocument.Parse(lines[0]).RootElement;
        }
    }
}

/// <summary>Runs the real <c>agent</c> executable (and other processes a test drives) with a wall-clock limit.</summary>
public static class AgentRuns
{
    /// <summary>agent.dll beside the test binary (a test project that references Agent.Cli gets it copied there).</summary>
    public static string BesideTests => Path.Combine(AppContext.BaseDirectory, "agent.dll");

    /// <summary>agent.dll in Agent.Cli's own output folder, with its own dependency set (same configuration as the tests).</summary>
    public static string InCliOutput
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(TestPaths.RepositoryRoot, "agent", "Agent.Cli", "bin", configuration, "net10.0", "agent.dll");
        }
    }

    /// <summary><c>dotnet AGENT_DLL ARGUMENTS</c> in <paramref name="workingDirectory"/>, output captured; the caller may add environment.</summary>
    public static ProcessStartInfo Command(string agentDll, string workingDirectory, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(agentDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs <paramref name="start"/> to its end; past <paramref name="timeout"/> its whole tree is killed and a <see cref="TimeoutException"/> carries what it wrote to stderr.</summary>
    public static async Task<ProcessRun> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(start.FileName)} did not finish in {timeout}: {await stderr}");
        }

        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }
}
