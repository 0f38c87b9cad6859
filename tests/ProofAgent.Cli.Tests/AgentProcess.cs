using System.Diagnostics;
using System.Text.Json;
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
            WorkingDirectory = TestPaths.RepositoryRoot,
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

    /// <summary>The repository root (see <see cref="TestPaths"/>).</summary>
    public static string RepositoryRoot => TestPaths.RepositoryRoot;

    /// <summary><c>../shared</c> beside the checkout, or null (see <see cref="TestPaths"/>).</summary>
    public static string? SharedDirectory => TestPaths.SharedDirectory;
}
