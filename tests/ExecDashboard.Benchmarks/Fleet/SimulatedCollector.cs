using System.Diagnostics;
using ExecDashboard.Contracts;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Benchmarks.Fleet;

/// <summary>
/// A collector as the dashboard sees one: a SignalR hub client with the real MessagePack protocol
/// and a collector token, pushing a batch of its host's execs every period and waiting for the ack
/// (the dashboard acknowledges only after its commit). A batch the dashboard is late for is sent as
/// soon as the previous one is acknowledged, so a dashboard that cannot keep up shows as fewer
/// events per second and longer acks, never as lost load.
/// </summary>
internal sealed class SimulatedCollector(Uri server, string token, SendmailTraffic traffic, string collectorId) : IAsyncDisposable
{
    private HubConnection? _connection;
    private long _batchSeq;

    public long Acknowledged { get; private set; }

    public string Host => traffic.Host;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, CollectorHubContract.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol(o => o.SerializerOptions = MessagePackSerializerOptions.Standard
                .WithResolver(ContractlessStandardResolver.Instance)
                .WithSecurity(MessagePackSecurity.UntrustedData))
            .Build();
        await _connection.StartAsync(cancellationToken);
    }

    /// <summary>Pushes one batch of <paramref name="events"/> execs now; returns the time to its ack.</summary>
    public async Task<TimeSpan> PushAsync(int events, CancellationToken cancellationToken)
    {
        var batch = new CollectorBatch
        {
            CollectorId = collectorId,
            Host = traffic.Host,
            BatchSeq = ++_batchSeq,
            Events = traffic.Next(events, DateTimeOffset.UtcNow),
            Status = new CollectorStatus { KernelLost = 0, EventsPerSec = events },
        };
        var clock = Stopwatch.StartNew();
        var ack = await _connection!.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch, cancellationToken);
        var elapsed = clock.Elapsed;
        Acknowledged += ack.Stored + ack.Duplicates;
        return elapsed;
    }

    /// <summary>Pushes <paramref name="perBatch"/> execs every <paramref name="period"/> until cancelled, recording each ack's latency.</summary>
    public async Task RunAsync(int perBatch, TimeSpan period, Latencies acks, CancellationToken cancellationToken)
    {
        // Spread the collectors over the period, as hosts that started at different times would be.
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * period.TotalMilliseconds), cancellationToken);
        var due = Stopwatch.StartNew();
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            acks.Add(await PushAsync(perBatch, cancellationToken));
            sent++;
            var wait = (period * sent) - due.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
