using System.Security.Cryptography;
using System.Text;
using ProofAgent.Provers;

namespace ProofAgent.Api.Checking;

/// <summary>
/// The key of the verification cache: SHA-256 over (prover name, version, toolchain hash, language, header, statement,
/// proof), each length-prefixed so that no two different tuples share a key. Only verdicts that the same prover would
/// give again are cached: proved, failed, incomplete, unsound — never timeout, unavailable or error.
/// </summary>
public static class VerificationCache
{
    public static string Key(ProverIdentity prover, ProofLanguage language, bool wholeFile, string header, string statement, string proof)
    {
        ArgumentNullException.ThrowIfNull(prover);
        // v2: the soundness gate of 2026-12 (coqchk, the statement check on @-terms, SMT agreement); v1 verdicts are not reused.
        // A whole file (no statement to compare with) never shares a key with a statement check of the same text.
        var builder = new StringBuilder("proofagent-check-v2");
        foreach (var part in new[] { prover.Name, prover.Version, prover.ToolchainHash ?? "", language.Id(), wholeFile ? "file" : "parts", header, statement, proof })
        {
            builder.Append('\n').Append(part.Length).Append(':').Append(part);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    public static bool IsCacheable(Verdict verdict) => verdict is Verdict.Proved or Verdict.Failed or Verdict.Incomplete or Verdict.Unsound;
}
