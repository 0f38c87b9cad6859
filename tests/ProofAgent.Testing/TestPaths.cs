namespace ProofAgent.Testing;

/// <summary>Where the repository and the team's <c>../shared</c> folder are, found from the test binary's location.</summary>
public static class TestPaths
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

    /// <summary><c>../shared</c> beside the checkout, or null when this clone has none (it holds the team's fixtures and datasets).</summary>
    public static string? SharedDirectory => SharedSubdirectory();

    /// <summary>The folder <c>../shared/PARTS</c> beside the checkout when it exists, or null.</summary>
    public static string? SharedSubdirectory(params string[] parts)
    {
        if (Root.Value is not { } root)
        {
            return null;
        }

        var path = Path.Combine([root, "..", "shared", .. parts]);
        return Directory.Exists(path) ? Path.GetFullPath(path) : null;
    }

    /// <summary><c>../shared</c> when it holds the folder <c>PARTS</c>, or null (for data sets and fixtures that a clone's <c>../shared</c> may lack).</summary>
    public static string? SharedDirectoryHolding(params string[] parts) => SharedSubdirectory(parts) is null ? null : SharedDirectory;

    /// <summary>A path under <c>../shared</c>; throws when <c>../shared</c> is absent (guard the test with a skipping fact).</summary>
    public static string SharedPath(params string[] parts) =>
        Path.Combine([SharedDirectory ?? throw new InvalidOperationException("../shared is absent"), .. parts]);

    /// <summary>A file copied next to the test binary (test data folders).</summary>
    public static string Data(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);
}
