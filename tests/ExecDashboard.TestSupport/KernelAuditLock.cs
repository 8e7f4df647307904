using System.Diagnostics;

namespace ExecDashboard.TestSupport;

/// <summary>
/// The kernel has exactly one audit configuration (rules, status, the daemon's port), shared
/// by every test assembly that `dotnet test` may run in parallel. Tests that touch it hold this
/// machine-wide lock for their whole duration, so they run one at a time across processes.
/// </summary>
public sealed class KernelAuditLock : IDisposable
{
    private const string LockPath = "/run/execdashboard-kernel-audit-tests.lock";
    private readonly FileStream _stream;

    private KernelAuditLock(FileStream stream) => _stream = stream;

    /// <summary>Waits (up to <paramref name="timeout"/>) for exclusive use of the kernel audit configuration.</summary>
    public static KernelAuditLock Acquire(TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromMinutes(20);
        while (true)
        {
            try
            {
                // FileShare.None is enforced across processes on Linux through an advisory lock (flock).
                return new KernelAuditLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (deadline.Elapsed < limit)
            {
                Thread.Sleep(200);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
