using ExecDashboard.Web.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Tells subscribers "something changed", at most once per interval each, never once per event:
/// a storm of 10,000 execs a second costs a page twenty refreshes a second (50 ms). The first change
/// after a quiet interval is told at once (leading edge); only what follows waits. Subscribers then pull
/// what they show. Callbacks run on the thread pool, so a component must marshal with
/// <c>InvokeAsync</c>.
/// </summary>
public sealed class ChangeNotifier(TimeSpan interval, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private ThrottledSubscription[] _subscriptions = [];

    /// <summary>Registers a callback; dispose the result to stop it.</summary>
    public IDisposable Subscribe(Func<Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var subscription = new ThrottledSubscription(this, onChanged);
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    public void Notify()
    {
        foreach (var s in Volatile.Read(ref _subscriptions))
        {
            s.Signal();
        }
    }

    private void Remove(ThrottledSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
        }
    }

    private sealed class ThrottledSubscription(ChangeNotifier owner, Func<Task> callback) : IDisposable
    {
        private readonly SemaphoreSlim _running = new(1, 1);
        private int _scheduled;
        private long _lastRunTimestamp;
        private long _signalledTimestamp;
        private volatile bool _disposed;

        public void Signal()
        {
            if (_disposed || Interlocked.Exchange(ref _scheduled, 1) == 1)
            {
                return;
            }

            Interlocked.Exchange(ref _signalledTimestamp, owner._time.GetTimestamp());
            _ = RunAsync();
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }

        private async Task RunAsync()
        {
            try
            {
                var since = owner._time.GetElapsedTime(Interlocked.Read(ref _lastRunTimestamp));
                if (Interlocked.Read(ref _lastRunTimestamp) != 0 && since < owner._interval)
                {
                    await Task.Delay(owner._interval - since, owner._time);
                }

                await _running.WaitAsync();
                try
                {
                    // Signals from now on schedule the next run: a change during the callback is not lost.
                    Volatile.Write(ref _scheduled, 0);
                    Interlocked.Exchange(ref _lastRunTimestamp, owner._time.GetTimestamp());
                    if (!_disposed)
                    {
                        LatencyInstruments.Notify.Record(owner._time.GetElapsedTime(Interlocked.Read(ref _signalledTimestamp)).TotalMilliseconds);
                        await callback();
                    }
                }
                finally
                {
                    _running.Release();
                }
            }
#pragma warning disable CA1031 // A subscriber's failure must not stop notifications to the others; it is logged.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Volatile.Write(ref _scheduled, 0);
                owner._logger.LogWarning(ex, "A change subscriber failed.");
            }
        }
    }

    private readonly TimeSpan _interval = interval;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
}
