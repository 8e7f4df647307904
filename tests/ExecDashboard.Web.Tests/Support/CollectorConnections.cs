using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Shipping;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Tests.Support;

internal static class CollectorConnections
{
    /// <summary>A raw hub connection, MessagePack by default or the JSON fallback.</summary>
    public static async Task<HubConnection> ConnectAsync(DashboardServer server, string token = DashboardServer.CollectorToken, bool json = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, CollectorHubContract.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        if (!json)
        {
            builder.AddMessagePackProtocol(o => o.SerializerOptions = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance));
        }

        var connection = builder.Build();
        try
        {
            await connection.StartAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>A batch of <paramref name="events"/> on the test host, with the process ends cut with them, if any.</summary>
    public static CollectorBatch Batch(string collectorId, long seq, IEnumerable<ExecEvent> events, IReadOnlyList<ProcessExitMessage>? exits = null) => new()
    {
        CollectorId = collectorId,
        Host = TestEvents.Host,
        BatchSeq = seq,
        Events = events.Select(e => e.ToMessage()).ToArray(),
        Exits = exits ?? [],
        Status = new CollectorStatus { KernelLost = 0, EventsPerSec = 1 },
    };

    public static DashboardShipper Shipper(DashboardServer server, string spoolDirectory, int maxBatchEvents = 512, TimeSpan? maxBatchDelay = null) => new(new ShippingOptions
    {
        MaxBatchEvents = maxBatchEvents,
        MaxBatchDelay = maxBatchDelay ?? TimeSpan.FromMilliseconds(50),

        // A test that sets the delay wants size and time alone to cut batches.
        SendWhenIdle = maxBatchDelay is null,
        Servers = [server.BaseAddress],
        Token = DashboardServer.CollectorToken,
        SpoolDirectory = spoolDirectory,
        Host = TestEvents.Host,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
    });
}
