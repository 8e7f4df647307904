using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Web.Tests;

public sealed class ChangeNotifierTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_storm_of_changes_costs_a_subscriber_one_call_per_interval_and_the_last_change_is_never_lost()
    {
        var time = new FakeTimeProvider();
        var notifier = new ChangeNotifier(Interval, time, NullLogger.Instance);
        var calls = 0;
        var called = new SemaphoreSlim(0);
        using var subscription = notifier.Subscribe(() =>
        {
            Interlocked.Increment(ref calls);
            called.Release();
            return Task.CompletedTask;
        });

        notifier.Notify();
        Assert.True(await called.WaitAsync(TimeSpan.FromSeconds(5)), "the first change is told at once");

        for (var i = 0; i < 10_000; i++)
        {
            notifier.Notify();
        }

        Assert.False(await called.WaitAsync(TimeSpan.FromMilliseconds(200)), "nothing more before the interval has passed");
        time.Advance(Interval);
        Assert.True(await called.WaitAsync(TimeSpan.FromSeconds(5)), "the storm is told once the interval has passed");
        Assert.False(await called.WaitAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task A_disposed_subscription_is_not_called_again()
    {
        var notifier = new ChangeNotifier(Interval, TimeProvider.System, NullLogger.Instance);
        var calls = 0;
        var subscription = notifier.Subscribe(() =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        subscription.Dispose();

        notifier.Notify();
        await Task.Delay(300);

        Assert.Equal(0, Volatile.Read(ref calls));
        Assert.Equal(0, notifier.SubscriberCount);
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others()
    {
        var notifier = new ChangeNotifier(Interval, TimeProvider.System, NullLogger.Instance);
        var healthy = new TaskCompletionSource();
        using var failing = notifier.Subscribe(() => throw new InvalidOperationException("view broke"));
        using var good = notifier.Subscribe(() =>
        {
            healthy.TrySetResult();
            return Task.CompletedTask;
        });

        notifier.Notify();

        await healthy.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
