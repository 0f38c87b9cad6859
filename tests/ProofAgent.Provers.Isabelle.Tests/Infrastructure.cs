using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Isabelle.Tests;

/// <summary>Where the shared fixtures and the test doubles are.</summary>
public static class TestEnvironment
{
    /// <summary><c>../shared/fixtures/isabelle/server</c> beside the checkout, or null.</summary>
    public static string? FixtureDirectory => TestPaths.SharedSubdirectory("fixtures", "isabelle", "server");

    public static string Fixture(string name) => Path.Combine(FixtureDirectory ?? throw new InvalidOperationException("../shared is absent"), name);

    public static string ReadFixture(string name) => File.ReadAllText(Fixture(name));

    public static string Double(string name) => Path.Combine(AppContext.BaseDirectory, "Doubles", name);
}

/// <summary>A fact that runs only when the real <c>isabelle</c> is on PATH.</summary>
public sealed class RequiresIsabelleFactAttribute : FactAttribute
{
    public RequiresIsabelleFactAttribute()
    {
        if (ExecutableLocator.Find(Environment.GetEnvironmentVariable("PROOFAGENT_ISABELLE") is { Length: > 0 } path ? path : "isabelle") is null)
        {
            Skip = "isabelle is not installed here (not on PATH, PROOFAGENT_ISABELLE unset): the integration test needs the real Isabelle server";
        }
    }
}
