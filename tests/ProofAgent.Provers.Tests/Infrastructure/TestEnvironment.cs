using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Infrastructure;

/// <summary>Where the repository and the team's shared data are, found from the test binary's location.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agent.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    });

    /// <summary>The repository root (the folder holding Agent.sln).</summary>
    public static string RepositoryRoot => Root.Value ?? throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);

    /// <summary><c>../shared</c> beside the checkout, or null when this clone has none.</summary>
    public static string? SharedDirectory =>
        Root.Value is { } root && Directory.Exists(Path.Combine(root, "..", "shared")) ? Path.GetFullPath(Path.Combine(root, "..", "shared")) : null;

    public static string Shared(params string[] parts) =>
        Path.Combine([SharedDirectory ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    /// <summary>A file copied next to the test binary (test data folders).</summary>
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);
}

/// <summary>A fact that runs only when every named executable is on PATH, and says which one is missing otherwise.</summary>
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    public RequiresToolsFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ExecutableLocator.Find(t) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"not installed here: {string.Join(", ", missing)} (`.ci/run` installs them)";
        }
    }
}

/// <summary>A theory that runs only when every named executable is on PATH.</summary>
public sealed class RequiresToolsTheoryAttribute : TheoryAttribute
{
    public RequiresToolsTheoryAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ExecutableLocator.Find(t) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"not installed here: {string.Join(", ", missing)} (`.ci/run` installs them)";
        }
    }
}

/// <summary>A fact that needs the team's <c>../shared</c> folder (absent from a user's clone) and, optionally, tools.</summary>
public sealed class RequiresSharedFactAttribute : FactAttribute
{
    public RequiresSharedFactAttribute(params string[] tools)
    {
        if (TestEnvironment.SharedDirectory is null)
        {
            Skip = "../shared is not beside this checkout (it holds the team's fixtures and datasets)";
            return;
        }

        var missing = tools.Where(t => ExecutableLocator.Find(t) is null).ToList();
        if (missing.Count > 0)
        {
            Skip = $"not installed here: {string.Join(", ", missing)} (`.ci/run` installs them)";
        }
    }
}
