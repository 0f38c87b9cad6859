namespace ProofAgent.Cluster.Tests;

/// <summary>
/// The `agent` executable built by the project reference, run from its own output folder: the copy beside the tests
/// lacks app-local framework assemblies that the test project resolves from the shared framework instead (e.g.
/// Microsoft.Extensions.Logging.Abstractions newer than the installed ASP.NET Core), so it cannot start there.
/// </summary>
public static class AgentBinary
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        // tests/ProofAgent.Cluster.Tests/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var own = System.IO.Path.Combine(TestPaths.RepositoryRoot, "agent", "Agent.Cli", "bin", configuration, tfm.Name, "agent.dll");
        Assert.True(File.Exists(own), $"the agent is not built at {own}");
        return own;
    }
}
