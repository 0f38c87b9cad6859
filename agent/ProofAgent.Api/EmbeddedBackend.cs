using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Storage;

namespace ProofAgent.Api;

/// <summary>The default backend: one SQLite file (<see cref="ApiOptions.DatabasePath"/>) and jobs run in this process.</summary>
public sealed class EmbeddedBackend : IApiBackend
{
    private string? _path;

    public string Description => "database " + (_path ?? "(not opened)");

    public async Task ConfigureAsync(WebApplicationBuilder builder, ApiOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var store = await SqliteJobStore.OpenAsync(options.DatabasePath, cancellationToken);
        _path = store.Path;
        var services = builder.Services;
        services.AddSingleton<IJobStore>(store);
        services.AddSingleton<ICheckDispatcher>(sp => sp.GetRequiredService<CheckService>());
        services.AddSingleton<JobScheduler>();
        services.AddSingleton<IJobService>(sp => sp.GetRequiredService<JobScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
    }
}
