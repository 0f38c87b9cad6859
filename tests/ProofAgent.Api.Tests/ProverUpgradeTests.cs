using System.Net;
using ProofAgent.Hosting;
using ProofAgent.Provers.Coq;
using Xunit;

namespace ProofAgent.Api.Tests;

/// <summary>
/// The verification cache is keyed by the prover's identity (version and a hash of its binaries), re-probed whenever the
/// binary changes on disk: a prover swapped under a running service is never served the old one's verdicts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // Unix file modes; the service runs on Linux
public sealed class ProverUpgradeTests
{
    [RequiresToolsFact("coqc", "coqchk", Timeout = 240_000)]
    public async Task Should_check_again_after_the_prover_binary_is_swapped_under_a_running_service()
    {
        var folder = Directory.CreateTempSubdirectory("proofagent-upgrade-");
        // The sandbox binds the wrapper read-only from here: the folder must be readable beyond its owner.
        File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var wrapper = Path.Combine(folder.FullName, "coqc");
            Install(wrapper, "first");
            await using var host = await ApiHost.StartAsync(o => o with
            {
                Provers = ProverSettings.FromEnvironment() with { Coq = CoqOptions.Default with { Coqc = wrapper } },
            });
            var request = new { language = "coq", statement = "Theorem upgrade_api : 1 + 1 = 2.", proof = "Proof. reflexivity. Qed." };

            using var first = await host.PostJsonAsync("/v1/check", request);
            using var second = await host.PostJsonAsync("/v1/check", request);
            Install(wrapper, "second: an upgraded coqc");
            using var third = await host.PostJsonAsync("/v1/check", request);

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Contains("\"verdict\":\"proved\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(["miss", "hit", "miss"], new[] { first, second, third }.Select(r => r.Headers.GetValues("X-Cache").Single()));
            Assert.Contains("\"verdict\":\"proved\"", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A coqc that runs the installed one; <paramref name="release"/> makes each install a different binary.</summary>
    private static void Install(string path, string release)
    {
        var coqc = ProofAgent.Provers.Processes.ExecutableLocator.Find("coqc")!;
        File.WriteAllText(path, $"#!/bin/sh\n# {release}\nexec {coqc} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
