using System.Diagnostics;
using System.Text.Json;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>Runs the real `agent` executable (agent.dll next to the tests) and captures what it prints.</summary>
public static class AgentProcess
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json
        {
            get
            {
                var lines = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(lines.Length == 1, $"stdout must hold exactly one JSON line, got {lines.Length}:\n{Stdout}\nstderr:\n{Stderr}");
                return JsonDocument.Parse(lines[0]).RootElement;
            }
        }
    }

    public static async Task<Run> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agent.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string? SharedDirectory =>
        Directory.Exists(Path.Combine(RepositoryRoot, "..", "shared")) ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared")) : null;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agent.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Agent.sln not found");
    }
}

/// <summary>A fact that needs tools on PATH (and optionally ../shared), skipped with the reason otherwise.</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(bool shared, params string[] tools)
    {
        if (shared && AgentProcess.SharedDirectory is null)
        {
            Skip = "../shared is not beside this checkout (it holds the team's datasets)";
            return;
        }

        var missing = tools.Where(t => ExecutableLocator.Find(t) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"not installed here: {string.Join(", ", missing)} (`.ci/run` installs them)";
        }
    }
}
