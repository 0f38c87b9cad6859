using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>
/// `agent check` on 20 real miniF2F-rocq statements: as shipped (proof `Admitted`) they are incomplete; with a proof
/// they are proved, and the proof must establish the original statement (checked with --statement).
/// </summary>
public sealed class MiniF2FCheckTests
{
    /// <summary>Problems of the test split that this proof script closes (found by running it on all 244 with coqc 8.16).</summary>
    private static readonly string[] Problems =
    [
        "mathd_algebra_440", "mathd_algebra_513", "mathd_algebra_478", "mathd_algebra_44", "mathd_numbertheory_239",
        "mathd_numbertheory_342", "mathd_algebra_427", "mathd_algebra_354", "mathd_numbertheory_12", "mathd_algebra_329",
        "mathd_algebra_296", "amc12b_2002_p19", "mathd_algebra_432", "mathd_algebra_388", "amc12b_2002_p7",
        "amc12b_2020_p2", "mathd_algebra_412", "mathd_algebra_141", "mathd_algebra_359", "mathd_algebra_107",
    ];

    private const string ProofScript = """
        Proof.
          intros; first [ lia | nia | lra | nra | field | (simpl; lia) | (simpl; nia) | ring | (compute; lra) ].
        Qed.
        """;

    [RequiresFact(true, "coqc", Timeout = 900_000)]
    public async Task Admitted_statements_are_incomplete_and_proved_ones_are_proved()
    {
        var work = Directory.CreateTempSubdirectory("proofagent-minif2f-").FullName;
        var failures = new List<string>();
        using var gate = new SemaphoreSlim(2);
        try
        {
            await Task.WhenAll(Problems.Select(async name =>
            {
                await gate.WaitAsync();
                try
                {
                    var original = Path.Combine(AgentProcess.SharedDirectory!, "minif2f", "rocq", "test", name + ".v");
                    var statement = await File.ReadAllTextAsync(original);
                    var proved = Path.Combine(work, name + ".v");
                    var head = statement[..statement.IndexOf("Proof.", StringComparison.Ordinal)];
                    await File.WriteAllTextAsync(proved, "From Stdlib Require Import Lia Lra Psatz Reals.\n" + head + ProofScript + "\n");

                    var asShipped = await AgentProcess.RunAsync("check", original, "--json");
                    var withProof = await AgentProcess.RunAsync("check", proved, "--statement", original, "--json");

                    var shippedVerdict = asShipped.Json.GetProperty("verdict").GetString();
                    var provedVerdict = withProof.Json.GetProperty("verdict").GetString();
                    if (shippedVerdict != "incomplete" || asShipped.ExitCode != 1)
                    {
                        lock (failures)
                        {
                            failures.Add($"{name} as shipped: {shippedVerdict} (exit {asShipped.ExitCode}) {asShipped.Stderr}");
                        }
                    }

                    if (provedVerdict != "proved" || withProof.ExitCode != 0)
                    {
                        lock (failures)
                        {
                            failures.Add($"{name} with proof: {provedVerdict} (exit {withProof.ExitCode}) {withProof.Stderr}");
                        }
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
