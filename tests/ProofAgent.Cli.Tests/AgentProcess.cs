namespace ProofAgent.Cli.Tests;

/// <summary>Runs the real `agent` executable (agent.dll next to the tests) and captures what it prints.</summary>
public static class AgentProcess
{
    public static Task<ProcessRun> RunAsync(params string[] arguments) =>
        AgentRuns.RunAsync(AgentRuns.Command(AgentRuns.BesideTests, TestPaths.RepositoryRoot, arguments), TimeSpan.FromMinutes(3));

    /// <summary>The repository root (see <see cref="TestPaths"/>).</summary>
    public static string RepositoryRoot => TestPaths.RepositoryRoot;

    /// <summary><c>../shared</c> beside the checkout, or null (see <see cref="TestPaths"/>).</summary>
    public static string? SharedDirectory => TestPaths.SharedDirectory;
}
