using System.Text.Json;
using Xunit;

namespace ProofAgent.Grammars.Tests;

/// <summary>Where the repository and the team's shared data are, found from the test binary's location.</summary>
public static class SharedData
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

    public static string RepositoryRoot => Root.Value ?? throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);

    /// <summary><c>../shared</c> beside the checkout, or null.</summary>
    public static string? Directory =>
        Root.Value is { } root && System.IO.Directory.Exists(Path.Combine(root, "..", "shared", "minif2f")) ? Path.GetFullPath(Path.Combine(root, "..", "shared")) : null;

    public static string Path_(params string[] parts) => Path.Combine([Directory ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    /// <summary>(name, formal_statement) of a miniF2F .jsonl file.</summary>
    public static List<(string Name, string Statement)> Jsonl(string file) =>
        File.ReadLines(Path_("minif2f", file))
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                using var document = JsonDocument.Parse(l);
                return (document.RootElement.GetProperty("name").GetString()!, document.RootElement.GetProperty("formal_statement").GetString()!);
            })
            .ToList();
}

/// <summary>A fact that needs <c>../shared/minif2f</c>; skipped with the reason when it is absent.</summary>
public sealed class RequiresSharedFactAttribute : FactAttribute
{
    public RequiresSharedFactAttribute()
    {
        if (SharedData.Directory is null)
        {
            Skip = "../shared/minif2f is not beside this checkout (it holds the team's datasets)";
        }
    }
}
