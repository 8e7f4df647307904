using ExecDashboard.Domain.Rates;
using Microsoft.Extensions.Time.Testing;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class ExecRateWindowConcurrencyTests
{
    [Fact]
    public async Task Readers_on_other_threads_see_consistent_counts_while_one_thread_ingests()
    {
        var time = new FakeTimeProvider(T0.AddSeconds(30));
        var window = new ExecRateWindow(time, new ExecRateOptions { MaxTrackedParents = 8 });
        var init = Ancestor(Key(1, 1), "/sbin/init", "init");
        var parents = Enumerable.Range(0, 8).Select(i => Ancestor(Key(100 + i), "/usr/bin/bash", "bash")).ToArray();
        const int Execs = 50_000;
        var ingest = Task.Run(() =>
        {
            for (var i = 0; i < Execs; i++)
            {
                window.Record(Exec(Key(5000), [parents[i % parents.Length], init], T0.AddMilliseconds(i % 30_000), "/usr/bin/true", ["true"]));
            }
        });

        var reads = 0;
        while (!ingest.IsCompleted)
        {
            var top = window.TopParents(TimeSpan.FromMinutes(1), 8);
            Assert.True(top.Count <= 8);
            Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Count >= p.Second.Count), "top parents out of order");
            _ = window.SeriesOf(parents[0].Key, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5));
            reads++;
        }

        await ingest;
        Assert.True(reads > 0);
        Assert.Equal(0, window.EvictedParents);
        Assert.All(window.TopParents(TimeSpan.FromMinutes(1), 8), r => Assert.Equal(Execs / 8, r.Count));
    }
}
