using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ExecDashboard.Benchmarks.Fleet;

/// <summary>
/// Measures fan-out: one exec at a time of a host of its own is pushed to one replica; from the
/// moment that replica acknowledges it (committed), the probe polls the other replica's host facet
/// of the live window (<c>GET /api/hosts</c>, answered from its in-memory hot window, not the
/// database) every 10 ms until the exec is counted there. So the figure is commit on B → in A's
/// live views, which is what a person looking at A waits for (plus at most one page refresh, 100 ms).
/// </summary>
internal sealed class FanOutProbe(SimulatedCollector sender, HttpClient observer)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);

    /// <summary>Probes that never showed on the observer within <see cref="GiveUp"/>.</summary>
    public int Missed { get; private set; }

    public async Task RunAsync(TimeSpan every, Latencies fanOut, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await sender.PushAsync(1, cancellationToken);
            var acked = Stopwatch.StartNew();
            sent++;
            while (await CountAsync(cancellationToken) < sent)
            {
                if (acked.Elapsed > GiveUp)
                {
                    Missed++;
                    sent = await CountAsync(cancellationToken);
                    break;
                }

                await Task.Delay(Poll, cancellationToken);
            }

            if (acked.Elapsed <= GiveUp)
            {
                fanOut.Add(acked.Elapsed);
            }

            await Task.Delay(every, cancellationToken);
        }
    }

    private async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var hosts = await observer.GetFromJsonAsync<JsonElement[]>(new Uri("api/hosts", UriKind.Relative), cancellationToken) ?? [];
        return hosts.Where(h => h.GetProperty("host").GetString() == sender.Host).Select(h => h.GetProperty("execs").GetInt64()).FirstOrDefault();
    }
}
