using System.Collections.Concurrent;
using System.Threading.Channels;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Proc;

namespace ExecDashboard.Kernel.Tests.Proc;

public sealed class ProcConnectorSourceTests : IDisposable
{
    private readonly ConcurrentQueue<string> _failures = new();

    /// <summary>No test of a working connector may see its reader fail.</summary>
    public void Dispose() => Assert.Empty(_failures);

    [Fact]
    public async Task Reports_fork_and_exit_of_a_child_and_its_grandchild()
    {
        var channel = Channel.CreateUnbounded<ProcessLifecycleEvent>();
        var clock = BootIdentity.CreateClock();
        Assert.True(ProcConnectorSource.TryStart(channel.Writer, clock, _failures.Enqueue, out var source, out var unavailable), unavailable);
        using (source)
        {
            using var shell = ProcSnapshotTests.Start("/bin/sh", "-c", "sleep 0.2 & wait");
            Assert.True(ProcStat.TryReadStartTicks(shell.Id, out var shellStart, out _));
            await shell.WaitForExitAsync();

            var seen = new List<ProcessLifecycleEvent>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!seen.Any(e => e.Kind == ProcessLifecycleKind.Exit && e.Pid == shell.Id))
            {
                seen.Add(await channel.Reader.ReadAsync(timeout.Token));
            }

            var shellFork = Assert.Single(seen, e => e.Kind == ProcessLifecycleKind.Fork && e.Pid == shell.Id);
            Assert.Equal(Environment.ProcessId, shellFork.ParentPid);
            // From the event's timestamp, taken just after the kernel set the start /proc shows:
            // the same tick, or the next when the few microseconds between crossed a tick.
            Assert.InRange(shellFork.StartTicks!.Value, shellStart, shellStart + 1);
            var sleepFork = Assert.Single(seen, e => e.Kind == ProcessLifecycleKind.Fork && e.ParentPid == shell.Id);
            var sleepExit = Assert.Single(seen, e => e.Kind == ProcessLifecycleKind.Exit && e.Pid == sleepFork.Pid);
            var shellExit = seen.Single(e => e.Kind == ProcessLifecycleKind.Exit && e.Pid == shell.Id);
            Assert.True(seen.IndexOf(shellFork) < seen.IndexOf(sleepFork));
            Assert.True(seen.IndexOf(sleepExit) < seen.IndexOf(shellExit));
            Assert.InRange((sleepExit.Time - sleepFork.Time).TotalSeconds, 0.15, 5);
            Assert.DoesNotContain(seen, e => e.Pid == 0);
        }
    }

    [Fact]
    public async Task A_fork_is_in_the_channel_as_soon_as_the_pipeline_reads_what_is_pending()
    {
        var channel = Channel.CreateUnbounded<ProcessLifecycleEvent>();
        Assert.True(ProcConnectorSource.TryStart(channel.Writer, BootIdentity.CreateClock(), _failures.Enqueue, out var source, out var unavailable), unavailable);
        using (source)
        {
            // The kernel queues the fork event before fork returns. Whether the reader thread took
            // it already or it still waits out the reader's pause, it is in the channel once
            // ReadPending returns: an exec never waits for the pause, nor reads /proc instead.
            using var child = ProcSnapshotTests.Start("/bin/sleep", "0.2");
            Assert.True(source!.ReadPending());

            var seen = new List<ProcessLifecycleEvent>();
            while (channel.Reader.TryRead(out var lifecycle))
            {
                seen.Add(lifecycle);
            }

            Assert.Contains(seen, e => e.Kind == ProcessLifecycleKind.Fork && e.Pid == child.Id && e.ParentPid == Environment.ProcessId);
            await child.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Threads_of_this_process_are_not_reported_as_processes()
    {
        var channel = Channel.CreateUnbounded<ProcessLifecycleEvent>();
        Assert.True(ProcConnectorSource.TryStart(channel.Writer, BootIdentity.CreateClock(), _failures.Enqueue, out var source, out var unavailable), unavailable);
        using (source)
        {
            var threadId = 0;
            using var release = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                // /proc/thread-self links to PID/task/TID: the kernel's id of this thread.
                Volatile.Write(ref threadId, int.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget!), System.Globalization.CultureInfo.InvariantCulture));
                release.Wait();
            });
            thread.Start();
            SpinWait.SpinUntil(() => Volatile.Read(ref threadId) != 0);
            using var marker = ProcSnapshotTests.Start("/bin/true");
            await marker.WaitForExitAsync();

            var seen = new List<ProcessLifecycleEvent>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!seen.Any(e => e.Kind == ProcessLifecycleKind.Exit && e.Pid == marker.Id))
            {
                seen.Add(await channel.Reader.ReadAsync(timeout.Token));
            }

            release.Set();
            thread.Join();
            Assert.NotEqual(Environment.ProcessId, threadId);
            Assert.Contains(seen, e => e.Kind == ProcessLifecycleKind.Fork && e.Pid == marker.Id);
            Assert.DoesNotContain(seen, e => e.Pid == threadId);
        }
    }

    [Fact]
    public void A_receive_error_that_cannot_heal_stops_the_reader_once_and_says_why()
    {
        var channel = Channel.CreateUnbounded<ProcessLifecycleEvent>();
        var before = ConnectorSockets.OfThisProcess();
        Assert.True(ProcConnectorSource.TryStart(channel.Writer, BootIdentity.CreateClock(), _failures.Enqueue, out var source, out var unavailable), unavailable);
        using (source)
        {
            var ours = Assert.Single(ConnectorSockets.OfThisProcess().Except(before));

            // The descriptor now names /dev/null: recv(2) fails with ENOTSOCK on every call, as
            // it would with EBADF. A reader that retried would spin a core forever.
            ConnectorSockets.ReplaceWithDevNull(ours);

            Assert.True(SpinWait.SpinUntil(() => !_failures.IsEmpty, TimeSpan.FromSeconds(10)), "the reader never reported the failure");
            Assert.True(source!.ReaderStopped.Wait(TimeSpan.FromSeconds(10)), "the reader kept running");
        }

        var failure = Assert.Single(_failures);
        Assert.Contains("recv(proc connector events) failed", failure, StringComparison.Ordinal);
        Assert.Contains("continuing without exact process lifetimes", failure, StringComparison.Ordinal);
        _failures.Clear();
    }
}
