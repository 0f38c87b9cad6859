namespace ProofAgent.Provers.FStar.Tests;

/// <summary>Where the recorded F* fixtures and the test doubles are.</summary>
public static class TestEnvironment
{
    /// <summary><c>../shared/fixtures/fstar</c> beside the checkout, or null.</summary>
    public static string? FixtureDirectory => TestPaths.SharedSubdirectory("fixtures", "fstar");

    public static string Fixture(params string[] parts) => Path.Combine([FixtureDirectory ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    public static string Double(string name) => Path.Combine(AppContext.BaseDirectory, "Doubles", name);
}
