using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using ProofAgent.Api;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Storage;
using ProofAgent.Cluster.Checking;
using ProofAgent.Cluster.Grains;
using ProofAgent.Cluster.Jobs;
using ProofAgent.Cluster.Nodes;
using ProofAgent.Cluster.Store;

namespace ProofAgent.Cluster;

/// <summary>
/// The cluster mode of <c>agent serve</c> (<c>--store</c>, <c>--cluster</c>): this process is an Orleans silo of the
/// cluster <see cref="ClusterSettings.Name"/>, with membership, jobs, events and the verification cache in the shared
/// PostgreSQL store. Every node serves the whole API.
/// </summary>
public sealed class ClusterBackend(ClusterSettings settings) : IApiBackend
{
    /// <summary>How often an SSE stream re-reads the store for events another node wrote.</summary>
    public static readonly TimeSpan EventPoll = TimeSpan.FromMilliseconds(500);

    private string _where = "(not opened)";

    public string Description => $"cluster '{settings.Name}', store {_where}, node {settings.NodeName}";

    public async Task ConfigureAsync(WebApplicationBuilder builder, ApiOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var dataSource = await OpenAsync(cancellationToken);
        var services = builder.Services;
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        // The silo is registered first, so it has joined the cluster before the services below start (and leaves after they stop).
        builder.Host.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.Name;
                cluster.ServiceId = "proofagent";
            });
            silo.Configure<SiloOptions>(silo => silo.SiloName = settings.NodeName);
            silo.UseAdoNetClustering(adoNet =>
            {
                adoNet.Invariant = "Npgsql";
                adoNet.ConnectionString = settings.ConnectionString;
            });
            silo.ConfigureEndpoints(settings.Advertise, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<ClusterMembershipOptions>(membership => membership.ProbeTimeout = settings.ProbeTimeout);
            silo.AddPlacementDirector<NodePlacement, NodePlacementDirector>();
        });

        services.AddSingleton(settings);
        services.AddSingleton(dataSource);
        services.AddSingleton<PostgresJobStore>();
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<PostgresJobStore>());
        services.AddSingleton(new JobSignals(EventPoll));
        services.AddSingleton<ClusterMembers>();
        services.AddSingleton<LocalNode>();
        services.AddSingleton<ClusterLoad>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterLoad>());
        services.AddSingleton<ClusterJobScheduler>();
        services.AddSingleton<IJobService>(sp => sp.GetRequiredService<ClusterJobScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterJobScheduler>());
        services.AddSingleton<ClusterCheckDispatcher>();
        services.AddSingleton<ICheckDispatcher>(sp => sp.GetRequiredService<ClusterCheckDispatcher>());
        services.AddSingleton<IHealthSection, ClusterHealth>();
    }

    /// <summary>Connects to the store and creates or migrates its schema; any failure is a configuration error naming the store.</summary>
    private async Task<NpgsqlDataSource> OpenAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new ApiConfigurationException($"--store is not an Npgsql connection string (Host=...;Database=...;Username=...): {exception.Message}");
        }

        _where = $"{parsed.Host ?? "localhost"}:{parsed.Port}/{parsed.Database ?? parsed.Username}";
        var dataSource = NpgsqlDataSource.Create(parsed);
        try
        {
            await StoreSchema.MigrateAsync(dataSource, cancellationToken);
            await using var others = dataSource.CreateCommand(
                "SELECT DISTINCT DeploymentId FROM OrleansMembershipTable WHERE Status IN (1, 2, 3) AND DeploymentId <> @cluster AND IAmAliveTime > now() - interval '15 minutes' ORDER BY DeploymentId");
            others.Parameters.AddWithValue("cluster", settings.Name);
            await using (var reader = await others.ExecuteReaderAsync(cancellationToken))
            {
                // The jobs tables are the store's, not a cluster's: a second cluster on them would take the first one's
                // running jobs for orphans.
                if (await reader.ReadAsync(cancellationToken))
                {
                    throw new ApiConfigurationException(
                        $"the store {_where} already serves the running cluster '{reader.GetString(0)}': give --cluster {reader.GetString(0)}, or another database (one cluster per database)");
                }
            }

            return dataSource;
        }
        catch (ApiConfigurationException)
        {
            await dataSource.DisposeAsync();
            throw;
        }
        catch (Exception exception) when (exception is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            await dataSource.DisposeAsync();
            throw new ApiConfigurationException($"cannot use the store {_where} (--store): {exception.Message}");
        }
    }
}
