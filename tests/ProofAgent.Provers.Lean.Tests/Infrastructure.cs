using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>Where the team's shared Lean fixtures and the test double are.</summary>
public static class TestEnvironment
{
    /// <summary><c>../shared</c> beside the checkout, or null when this clone has none.</summary>
    public static string? SharedDirectory => TestPaths.SharedDirectoryHolding("fixtures", "lean");

    public static string LeanFixtures(params string[] parts) =>
        Path.Combine([SharedDirectory ?? throw new InvalidOperationException("../shared is absent"), "fixtures", "lean", .. parts]);

    /// <summary>The FakeProver test double, started through the apphost when present, else through <c>dotnet FakeProver.dll</c>.</summary>
    public static ProcessSpec FakeProver(params string[] arguments)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "FakeProver");
        if (File.Exists(host))
        {
            return new ProcessSpec(host, arguments);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExecutableLocator.Find("dotnet") ?? "dotnet";
        return new ProcessSpec(dotnet, [Path.Combine(AppContext.BaseDirectory, "FakeProver.dll"), .. arguments]);
    }
}
