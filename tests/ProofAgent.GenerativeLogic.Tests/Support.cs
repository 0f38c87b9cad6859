using System.Security.Cryptography;
using System.Text;

namespace ProofAgent.GenerativeLogic.Tests;

internal static class Repo
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Peano => Path.Combine(Root, "agent", "ProofAgent.GenerativeLogic", "Definitions", "peano");

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static bool OnPath(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, exe)));
}

/// <summary>A fact that skips, with the reason, when coqc is not installed.</summary>
public sealed class CoqFactAttribute : FactAttribute
{
    public CoqFactAttribute()
    {
        if (!Repo.OnPath("coqc"))
        {
            Skip = "coqc is not on PATH (apt-get install coq)";
        }
    }
}

/// <summary>A fact that skips, with the reason, when ../shared/anchors/gl is absent.</summary>
public sealed class SharedGlFactAttribute : FactAttribute
{
    public SharedGlFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(Repo.Shared, "anchors", "gl")))
        {
            Skip = "../shared/anchors/gl is absent (team data, not part of a clone)";
        }
    }
}
