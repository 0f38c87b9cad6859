using ProofAgent.Provers.Processes;

namespace ProofAgent.Testing;

/// <summary>Why a test cannot run here, in the words every skipping fact uses; null when nothing is missing.</summary>
public static class SkipReasons
{
    /// <summary>The named executables that are not on PATH (as <see cref="ExecutableLocator"/> finds them), in the order given.</summary>
    public static IReadOnlyList<string> MissingTools(params string[] tools) => tools.Where(t => ExecutableLocator.Find(t) is null).ToList();

    /// <summary>"not installed here: a, b (`.ci/run` installs them)", or null when every tool is on PATH.</summary>
    public static string? Tools(params string[] tools) =>
        MissingTools(tools) is { Count: > 0 } missing ? $"not installed here: {string.Join(", ", missing)} (`.ci/run` installs them)" : null;

    /// <summary>The reason when <c>../shared</c> is not beside the checkout, or null.</summary>
    public static string? Shared() =>
        TestPaths.SharedDirectory is null ? "../shared is not beside this checkout (it holds the team's fixtures and datasets)" : null;

    /// <summary>Needs <c>../shared</c> (when <paramref name="shared"/>) and the tools: the first reason that applies, or null.</summary>
    public static string? Requirements(bool shared, params string[] tools) => (shared ? Shared() : null) ?? Tools(tools);
}
