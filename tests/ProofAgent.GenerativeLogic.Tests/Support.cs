using System.Security.Cryptography;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;

namespace ProofAgent.GenerativeLogic.Tests;

internal static class Repo
{
    public static string Peano => Path.Combine(TestPaths.RepositoryRoot, "agent", "ProofAgent.GenerativeLogic", "Definitions", "peano");

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>Real coqc for the tests (guard them with <see cref="RequiresToolsFactAttribute"/>): resource limits, no sandbox (the sandbox is tested in the security tests).</summary>
internal static class Tools
{
    public static CoqChecker Coq() => new(CoqOptions.Default, new ProcessRunner(new ResourceLimitIsolation()));
}
