namespace ProofAgent.Cluster.Grains;

/// <summary>
/// One cluster node as the others reach it: keyed by its silo address (<c>SiloAddress.ToParsableString()</c>) and always
/// activated on that silo (<see cref="NodePlacementAttribute"/>), so a call runs on the node it names. Reentrant: a long
/// check never blocks a load query, an offer or a cancellation.
/// </summary>
public interface INodeGrain : IGrainWithStringKey
{
    Task<NodeLoad> GetLoadAsync();

    /// <summary>Runs a check on this node (its cache, its queue, its provers). Checks may take minutes: the default 30 s response timeout does not fit.</summary>
    [ResponseTimeout("00:12:00")]
    Task<CheckReply> CheckAsync(CheckWork work);

    /// <summary>Starts the queued job on this node if it has a free job slot and the job is still queued; true when it did.</summary>
    Task<bool> OfferJobAsync(string jobId);

    /// <summary>Cancels the job if it runs here; true when it did.</summary>
    Task<bool> CancelJobAsync(string jobId);
}
