using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>The header-keyed pool over FakeProver processes replaying <c>pickle_proof_state_1</c> (header <c>import Lean</c>, then env 0).</summary>
public sealed class ReplPoolTests
{
    private const string Header = "import Lean\n";

    private static LeanReplPool Pool(LeanOptions options, List<int> started) =>
        new(options, async (header, ct) =>
        {
            // Any other header would not match the transcript's first request, and the double would exit 3.
            var session = await ReplSessionTests.StartAsync(ReplSessionTests.Replay("repl-v4.33.0-rc2", "pickle_proof_state_1"), header);
            lock (started)
            {
                started.Add(session.ProcessId);
            }

            return session;
        });

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_warm_process_is_reused_for_the_same_header()
    {
        var started = new List<int>();
        await using var pool = Pool(LeanOptions.Default, started);

        int firstPid;
        await using (var lease = await pool.AcquireAsync(Header))
        {
            firstPid = lease.Session.ProcessId;
            var response = await lease.Session.RunCommandAsync("def f : Nat := by sorry", TimeSpan.FromSeconds(10));
            Assert.Equal(1, Assert.IsType<LeanReplResponse.Command>(response).Env);
        }

        await using (var again = await pool.AcquireAsync("-- a comment\nimport Lean"))
        {
            Assert.Equal(firstPid, again.Session.ProcessId);
        }

        Assert.Equal(1, pool.Started);
        Assert.Equal(1, pool.IdleCount(Header));
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_process_is_recycled_after_its_maximum_uses_or_over_its_memory_cap()
    {
        var started = new List<int>();
        await using (var pool = Pool(LeanOptions.Default with { MaxUsesPerProcess = 2 }, started))
        {
            await using (var lease = await pool.AcquireAsync(Header))
            {
                await lease.Session.RunCommandAsync("def f : Nat := by sorry", TimeSpan.FromSeconds(10));
            }

            Assert.Equal(0, pool.IdleCount(Header));
            Assert.Equal(1, pool.Recycled);
            await ReplSessionTests.WaitUntilGoneAsync(started[0]);
        }

        await using (var pool = Pool(LeanOptions.Default with { MaxResidentBytes = 1024 }, started))
        {
            await using (await pool.AcquireAsync(Header))
            {
            }

            Assert.Equal((0, 1), (pool.IdleCount(Header), pool.Recycled));
        }
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_timed_out_process_is_replaced_by_a_fresh_one()
    {
        var started = new List<int>();
        var calls = 0;
        await using var pool = new LeanReplPool(LeanOptions.Default, async (header, ct) =>
        {
            // The first process hangs on its second request; the replacement answers normally.
            var extra = Interlocked.Increment(ref calls) == 1 ? new[] { "--hang-at", "1" } : [];
            var session = await ReplSessionTests.StartAsync(ReplSessionTests.Replay("repl-v4.33.0-rc2", "pickle_proof_state_1", extra), header);
            started.Add(session.ProcessId);
            return session;
        });

        await using (var lease = await pool.AcquireAsync(Header))
        {
            await Assert.ThrowsAsync<ProverTimeoutException>(() => lease.Session.RunCommandAsync("def f : Nat := by sorry", TimeSpan.FromMilliseconds(700)));
        }

        await ReplSessionTests.WaitUntilGoneAsync(started[0]);
        await using (var fresh = await pool.AcquireAsync(Header))
        {
            var response = await fresh.Session.RunCommandAsync("def f : Nat := by sorry", TimeSpan.FromSeconds(10));
            Assert.Single(response.Sorries);
            Assert.NotEqual(started[0], fresh.Session.ProcessId);
        }

        Assert.Equal((2, 1), (pool.Started, pool.Recycled));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_pool_refuses_a_process_whose_header_differs_from_the_request()
    {
        await using var pool = new LeanReplPool(LeanOptions.Default, (header, ct) =>
            ReplSessionTests.StartAsync(new ProcessSpec("/bin/cat", []), header: string.Empty));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.AcquireAsync("import Mathlib"));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }
}
