using ExecDashboard.Collector.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Collector.Tests.Pipeline;

public sealed class StoppableTicksTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Ticks_every_period_until_the_token_fires_then_ends_with_false()
    {
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        using var ticks = new StoppableTicks(Period, time, stop.Token);

        var first = ticks.WaitForNextTickAsync();
        Assert.False(first.IsCompleted);
        time.Advance(Period);
        Assert.True(await first);

        var second = ticks.WaitForNextTickAsync();
        await stop.CancelAsync();
        Assert.False(await second);
        Assert.False(await ticks.WaitForNextTickAsync());
    }

    [Fact]
    public async Task Ends_at_once_when_the_token_fired_before()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        using var ticks = new StoppableTicks(Period, new FakeTimeProvider(), stop.Token);

        Assert.False(await ticks.WaitForNextTickAsync());
    }
}
