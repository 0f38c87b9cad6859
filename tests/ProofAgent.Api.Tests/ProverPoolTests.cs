using ProofAgent.Api.Checking;

namespace ProofAgent.Api.Tests;

/// <summary>The bounded FIFO queue of a prover pool (issue 20): order, bounds, and what /health counts. No prover involved.</summary>
public sealed class ProverPoolTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact(Timeout = 30_000)]
    public async Task Should_hand_freed_slots_to_waiters_in_arrival_order_never_to_a_newcomer()
    {
        var pools = new ProverPools(_ => new PoolLimits(1, 8));
        var first = await pools.AcquireAsync("check:coq", Long, CancellationToken.None);
        Assert.True(first.Granted);

        var waiters = Enumerable.Range(0, 5).Select(_ => pools.AcquireAsync("check:coq", Long, CancellationToken.None)).ToList();
        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        Assert.Equal(5, pools.Stats().Single().Queued);

        // A newcomer that does not wait is refused while others wait, even at the instant a slot comes free.
        Assert.Null(pools.TryAcquire("check:coq"));

        // Each release grants exactly one waiter, the oldest: the first of the pending ones to complete is waiter i.
        var lease = first.Lease!;
        for (var i = 0; i < waiters.Count; i++)
        {
            lease.Dispose();
            Assert.Equal(waiters.Count - i - 1, pools.Stats().Single().Queued);
            var granted = await Task.WhenAny(waiters.Skip(i));
            Assert.Same(waiters[i], granted);
            var ticket = await granted;
            Assert.True(ticket.Granted);
            lease = ticket.Lease!;
        }

        lease.Dispose();
        Assert.Equal(0, pools.Stats().Single().InUse);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_refuse_at_once_when_the_queue_is_full_and_after_the_bounded_wait_otherwise()
    {
        var pools = new ProverPools(_ => new PoolLimits(1, 1));
        using var held = (await pools.AcquireAsync("check:coq", Long, CancellationToken.None)).Lease;
        var waiting = pools.AcquireAsync("check:coq", TimeSpan.FromMilliseconds(300), CancellationToken.None);

        var full = await pools.AcquireAsync("check:coq", Long, CancellationToken.None);
        Assert.False(full.Granted);
        Assert.Equal(PoolRefusal.QueueFull, full.Refusal);

        var expired = await waiting;
        Assert.False(expired.Granted);
        Assert.Equal(PoolRefusal.WaitExpired, expired.Refusal);
        var stats = pools.Stats().Single();
        Assert.Equal((1, 0, 2L), (stats.InUse, stats.Queued, stats.Rejected));
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_leave_the_queue_when_the_client_goes_away()
    {
        var pools = new ProverPools(_ => new PoolLimits(1, 4));
        var held = (await pools.AcquireAsync("check:coq", Long, CancellationToken.None)).Lease!;
        using var gone = new CancellationTokenSource();
        var abandoned = pools.AcquireAsync("check:coq", Long, gone.Token);
        var next = pools.AcquireAsync("check:coq", Long, CancellationToken.None);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        held.Dispose();
        using var lease = (await next).Lease;
        Assert.NotNull(lease);
        Assert.Equal(0, pools.Stats().Single().Queued);
    }
}
