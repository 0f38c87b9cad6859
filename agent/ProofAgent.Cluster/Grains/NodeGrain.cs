using Orleans.Concurrency;
using ProofAgent.Api.Checking;
using ProofAgent.Cluster.Jobs;
using ProofAgent.Cluster.Nodes;
using ProofAgent.Provers;

namespace ProofAgent.Cluster.Grains;

/// <summary>The node's side of <see cref="INodeGrain"/>: it hands the call to this node's services.</summary>
[NodePlacement]
[Reentrant]
public sealed class NodeGrain(LocalNode local, CheckService checks, ClusterJobScheduler jobs) : Grain, INodeGrain
{
    public Task<NodeLoad> GetLoadAsync() => Task.FromResult(local.Load());

    public async Task<CheckReply> CheckAsync(CheckWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var language = ProofLanguages.TryParse(work.Language, out var l) ? l : throw new ArgumentException($"unknown language '{work.Language}'", nameof(work));
        var input = new CheckInput(language, work.Header, work.Statement, work.Proof, TimeSpan.FromSeconds(work.TimeoutSeconds)) { WholeFile = work.WholeFile };
        return await checks.CheckAsync(input, CancellationToken.None) switch
        {
            CheckAnswer.Report report => new CheckReply(report.Json, report.Verdict, report.CacheHit, null, null),
            CheckAnswer.Saturated saturated => new CheckReply(null, null, false, saturated.Pool, saturated.Detail),
            _ => throw new InvalidOperationException("unknown answer"),
        };
    }

    public Task<bool> OfferJobAsync(string jobId) => jobs.TryStartAsync(jobId, CancellationToken.None);

    public Task<bool> CancelJobAsync(string jobId) => Task.FromResult(jobs.CancelLocal(jobId));
}
