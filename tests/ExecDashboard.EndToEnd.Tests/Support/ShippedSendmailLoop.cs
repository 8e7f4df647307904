using System.Text.Json;
using ExecDashboard.Shipping;
using ExecDashboard.TestSupport.Scenarios;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The loop as exec events (<see cref="SendmailLoopEvents"/>) pushed through the dashboard's real
/// collector hub with the collector's own shipping client; done once every batch is acknowledged.
/// </summary>
internal sealed class ShippedSendmailLoop : ISendmailLoopProducer
{
    public async Task<SendmailLoopRun> RunAsync(DashboardProcess dashboard, IReadOnlyList<int> queueSizes, CancellationToken cancellationToken)
    {
        // Just before now, so the one-minute rate window holds the whole loop.
        var loop = SendmailLoopEvents.Create(DateTimeOffset.UtcNow.AddSeconds(-5), TimeSpan.FromMilliseconds(20), queueSizes: [.. queueSizes]);
        var spool = Directory.CreateTempSubdirectory("execdash-e2e-spool-").FullName;
        try
        {
            await using var shipper = new DashboardShipper(new ShippingOptions
            {
                Servers = [dashboard.BaseAddress],
                Token = DashboardProcess.CollectorToken,
                SpoolDirectory = spool,
                Host = "sendmail-test",
            });
            foreach (var e in loop.Events)
            {
                await shipper.WriteAsync(e, cancellationToken);
            }

            foreach (var end in loop.Ends)
            {
                await shipper.WriteEndAsync(end, cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            using var api = dashboard.ApiClient();
            while (await StoredAsync(api, timeout.Token) < loop.Events.Count)
            {
                await Task.Delay(100, timeout.Token);
            }

            // Keep the collector connected until the dashboard has stored everything (ends included), then leave.
            await shipper.FlushAsync(timeout.Token);
            return new SendmailLoopRun(Path.GetFileName(loop.Caller.Exe), loop.Events.Count);
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    private static async Task<long> StoredAsync(HttpClient api, CancellationToken cancellationToken)
    {
        using var sessions = await JsonDocument.ParseAsync(await api.GetStreamAsync(new Uri("api/sessions", UriKind.Relative), cancellationToken), cancellationToken: cancellationToken);
        return sessions.RootElement.EnumerateArray().Sum(s => s.GetProperty("events").GetInt64());
    }
}
