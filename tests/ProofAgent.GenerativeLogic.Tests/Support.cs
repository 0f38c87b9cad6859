using System.Security.Cryptography;

namespace ProofAgent.GenerativeLogic.Tests;

internal static class Repo
{
    public static string Peano => Path.Combine(TestPaths.RepositoryRoot, "agent", "ProofAgent.GenerativeLogic", "Definitions", "peano");

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>A fact that skips, with the reason, when ../shared/anchors/gl is absent.</summary>
public sealed class SharedGlFactAttribute : FactAttribute
{
    public SharedGlFactAttribute()
    {
        if (TestPaths.SharedSubdirectory("anchors", "gl") is null)
        {
            Skip = "../shared/anchors/gl is absent (team data, not part of a clone)";
        }
    }
}
