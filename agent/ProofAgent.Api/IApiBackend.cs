using Microsoft.AspNetCore.Builder;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Jobs;

namespace ProofAgent.Api;

/// <summary>
/// Where the service keeps jobs, events and the verification cache, and who runs the work. The embedded default is one
/// SQLite file and this process (<see cref="EmbeddedBackend"/>); the cluster mode (ProofAgent.Cluster) keeps them in
/// PostgreSQL and spreads the work over Orleans silos.
/// </summary>
public interface IApiBackend
{
    /// <summary>Where the state lives, for the start-up line and <c>agent serve --json</c> (never a password).</summary>
    string Description { get; }

    /// <summary>
    /// Opens the store (creating or migrating its schema) and registers <c>IJobStore</c>, <see cref="IJobService"/>,
    /// <see cref="ICheckDispatcher"/> and whatever runs in the background. A store that cannot be reached or used is an
    /// <see cref="ApiConfigurationException"/> (bad configuration, not a crash).
    /// </summary>
    Task ConfigureAsync(WebApplicationBuilder builder, ApiOptions options, CancellationToken cancellationToken);
}

/// <summary>Extra sections of <c>/health</c> (the cluster's nodes, their slots and queues).</summary>
public interface IHealthSection
{
    string Name { get; }

    Task<object> DescribeAsync(CancellationToken cancellationToken);
}
