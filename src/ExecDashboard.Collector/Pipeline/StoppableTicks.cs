namespace ExecDashboard.Collector.Pipeline;

/// <summary>
/// The ticks of a <see cref="PeriodicTimer"/> until a token fires; the wait then ends with false,
/// not with an exception.
/// </summary>
/// <remarks>
/// A cancelled <see cref="PeriodicTimer.WaitForNextTickAsync"/> completes with an exception whose
/// stack trace it captures with file and line information: that loads the runtime's symbol reader
/// and reads the debug directories of the assemblies on the stack. The collector's loops stop that
/// way when a replay's log is read, while the hub connection is still being opened; measured on a
/// 1-exec replay into a dashboard, that cost about fifty methods compiled and the symbol reader's
/// assemblies (System.Diagnostics.StackTrace, System.Reflection.Metadata, System.IO.Compression,
/// System.IO.MemoryMappedFiles) loaded. Disposing the timer ends the wait the same way, without any
/// of that.
/// </remarks>
internal sealed class StoppableTicks : IDisposable
{
    private readonly PeriodicTimer _timer;
    private readonly CancellationTokenRegistration _stop;

    public StoppableTicks(TimeSpan period, TimeProvider timeProvider, CancellationToken stop)
    {
        _timer = new PeriodicTimer(period, timeProvider);
        _stop = stop.Register(static timer => ((PeriodicTimer)timer!).Dispose(), _timer);
    }

    /// <summary>True at the next tick; false once the token has fired.</summary>
    public ValueTask<bool> WaitForNextTickAsync() => _timer.WaitForNextTickAsync(CancellationToken.None);

    public void Dispose()
    {
        _stop.Dispose();
        _timer.Dispose();
    }
}
