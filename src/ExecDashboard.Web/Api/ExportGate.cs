namespace ExecDashboard.Web.Api;

/// <summary>
/// Lets one session export run at a time; the others wait their turn. An export of a large
/// session holds about 90 MB while it runs (SQLite's 32 MiB page cache and as much again for
/// sorting the session's processes, then the JSON on its way out): three 300,000-exec exports at
/// once took the dashboard to 460 MB, where one at a time stays under 300 MB. Waiting costs a
/// second download the length of the first (1.3 s for 300,000 execs).
/// </summary>
public sealed class ExportGate : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Exports running (0 or 1).</summary>
    public int Running => 1 - _turn.CurrentCount;

    /// <summary>Waits until no other export runs; dispose the result when this one is done.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        return new Turn(_turn);
    }

    public void Dispose() => _turn.Dispose();

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
