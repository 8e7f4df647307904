using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Storage.Postgres;

namespace ExecDashboard.Web.Fleet;

/// <summary>
/// What makes replicas of one store one dashboard: with an engine several dashboards share, each
/// listens to the others' commits and publishes its collectors; with SQLite (one dashboard) neither runs.
/// </summary>
internal static class FleetRegistration
{
    public static IServiceCollection AddFleet(this IServiceCollection services)
    {
        services.AddSingleton(sp => new FleetCollectors(
            sp.GetRequiredService<Ingest.CollectorRegistry>(),
            sp.GetRequiredService<ExecStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IStoreEngine>() as ICollectorDirectory));
        // AddSingleton, not AddHostedService: the latter refuses two factories of the same declared type.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IStoreEngine>() is ICollectorDirectory directory
            ? new CollectorStatusPublisher(
                sp.GetRequiredService<Ingest.CollectorRegistry>(),
                sp.GetRequiredService<FleetCollectors>(),
                directory,
                sp.GetRequiredService<ExecStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<CollectorStatusPublisher>>())
            : (IHostedService)new Idle());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IStoreEngine>() is PostgresEventStore shared
            ? new PostgresChangeListener(
                shared,
                sp.GetRequiredService<ExecStore>(),
                sp.GetRequiredService<FleetCollectors>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresChangeListener>>())
            : (IHostedService)new Idle());
        return services;
    }

    /// <summary>Stands in for a fleet service a store of one dashboard does not need.</summary>
    private sealed class Idle : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
