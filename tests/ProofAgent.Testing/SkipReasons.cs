using ProofAgent.Provers.Processes;

namespace ProofAgent.Testing;

/// <summary>Why a test cannot run here, in the words every skipping fact uses; null when nothing is missing.</summary>
public static class SkipReasons
{
    /// <summary>The named executables that are not on PATH (as <see cref="ExecutableLocator"/> finds them), in the order given.</summary>
    public static IReadOnlyList<string> MissingTools(params string[] tools) => tools.Where(t => ExecutableLocator.Find(t) is null).ToList();

    /// <summary>
    /// True when <c>PROOFAGENT_REQUIRE_ALL_TOOLS=1</c> (set by <c>.ci/run</c>): then a test never skips for a tool that CI
    /// installs; it runs and fails, so a broken install cannot turn CI green by skipping.
    /// </summary>
    public static bool ToolsRequired => Environment.GetEnvironmentVariable("PROOFAGENT_REQUIRE_ALL_TOOLS") == "1";

    /// <summary>The tools `.ci/run` installs: under <see cref="ToolsRequired"/> their absence never skips a test.</summary>
    public static IReadOnlySet<string> InstalledByCi { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "coqc", "coqidetop", "coqidetop.opt", "coqchk", "z3", "cvc5", "eprover", "bwrap", "nvim", "chromium", "node", "npm", "psql", "pg_ctlcluster",
    };

    /// <summary>
    /// "not installed here: a, b (`.ci/run` installs them)", or null when every tool is on PATH. Under
    /// <see cref="ToolsRequired"/>, only tools CI does not install (Lean, Isabelle, F*) may skip.
    /// </summary>
    public static string? Tools(params string[] tools) =>
        MissingTools(tools).Where(t => !ToolsRequired || !InstalledByCi.Contains(t)).ToList() is { Count: > 0 } missing
            ? $"not installed here: {string.Join(", ", missing)}{(missing.All(InstalledByCi.Contains) ? " (`.ci/run` installs them)" : string.Empty)}"
            : null;

    /// <summary>The reason when <c>../shared</c> is not beside the checkout, or null.</summary>
    public static string? Shared() =>
        TestPaths.SharedDirectory is null ? "../shared is not beside this checkout (it holds the team's fixtures and datasets)" : null;

    /// <summary>The reason when the folder <c>../shared/PARTS</c> (a data set or fixtures) is not beside the checkout, or null.</summary>
    public static string? SharedFolder(params string[] parts) =>
        TestPaths.SharedSubdirectory(parts) is null
            ? $"../shared/{string.Join('/', parts)} is not beside this checkout (../shared holds the team's fixtures and datasets)"
            : null;

    /// <summary>Needs <c>../shared</c> (when <paramref name="shared"/>) and the tools: the first reason that applies, or null.</summary>
    public static string? Requirements(bool shared, params string[] tools) => (shared ? Shared() : null) ?? Tools(tools);
}
