using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.FStar.Tests;

/// <summary>Where the recorded F* fixtures and the test doubles are.</summary>
public static class TestEnvironment
{
    /// <summary><c>../shared/fixtures/fstar</c> beside the checkout, or null.</summary>
    public static string? FixtureDirectory => TestPaths.SharedSubdirectory("fixtures", "fstar");

    public static string Fixture(params string[] parts) => Path.Combine([FixtureDirectory ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    public static string Double(string name) => Path.Combine(AppContext.BaseDirectory, "Doubles", name);
}

/// <summary>A fact that needs the recorded fixtures in <c>../shared</c>.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (TestEnvironment.FixtureDirectory is null)
        {
            Skip = "../shared/fixtures/fstar is not beside this checkout (the team's recorded F* outputs)";
        }
    }
}

/// <summary>A fact that runs only when the real <c>fstar.exe</c> is on PATH.</summary>
public sealed class RequiresFStarFactAttribute : FactAttribute
{
    public RequiresFStarFactAttribute()
    {
        if (ExecutableLocator.Find("fstar.exe") is null)
        {
            Skip = "fstar.exe is not installed here (not on PATH): the integration test needs the real F*";
        }
    }
}
