using ProofAgent.Provers.Processes;
using Xunit;

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

/// <summary>A fact that needs <c>../shared/fixtures/lean</c> and says so when it is absent.</summary>
public sealed class RequiresLeanFixturesFactAttribute : FactAttribute
{
    public RequiresLeanFixturesFactAttribute()
    {
        if (TestEnvironment.SharedDirectory is null)
        {
            Skip = "../shared/fixtures/lean is not beside this checkout (it holds the recorded Lean outputs)";
        }
    }
}

/// <summary>A theory that needs <c>../shared/fixtures/lean</c>.</summary>
public sealed class RequiresLeanFixturesTheoryAttribute : TheoryAttribute
{
    public RequiresLeanFixturesTheoryAttribute()
    {
        if (TestEnvironment.SharedDirectory is null)
        {
            Skip = "../shared/fixtures/lean is not beside this checkout (it holds the recorded Lean outputs)";
        }
    }
}

/// <summary>A fact that runs only with a real Lean toolchain (and, optionally, the REPL) on PATH.</summary>
public sealed class RequiresLeanFactAttribute : FactAttribute
{
    public RequiresLeanFactAttribute(bool repl = false)
    {
        var missing = SkipReasons.MissingTools(["lean", .. repl ? ["repl"] : Array.Empty<string>()]);
        if (missing.Count > 0)
        {
            Skip = $"Lean integration: not installed here: {string.Join(", ", missing)} (install elan, see provers/ProofAgent.Provers.Lean/README.md)";
        }
    }
}

/// <summary>A theory that runs only with a real Lean toolchain on PATH.</summary>
public sealed class RequiresLeanTheoryAttribute : TheoryAttribute
{
    public RequiresLeanTheoryAttribute()
    {
        if (ExecutableLocator.Find("lean") is null)
        {
            Skip = "Lean integration: not installed here: lean (install elan, see provers/ProofAgent.Provers.Lean/README.md)";
        }
    }
}
