using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed class SpoolExitsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-spool-exits-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Process_ends_survive_a_reopen_beside_batches_without_any()
    {
        var exec = TestEvents.Expr(1);
        var end = ProcessExitMessage.From(new ProcessEnd
        {
            Process = exec.Process,
            Started = exec.Exec.Time,
            Time = exec.Exec.Time.AddSeconds(2),
            Status = ExitStatus.Killed(11, coreDumped: true),
        });
        using (var spool = new BatchSpool(_directory, 16 * 1024 * 1024))
        {
            spool.Append([exec.ToMessage()]);
            spool.Append([TestEvents.Expr(2).ToMessage()], [end]);
            spool.Append([], [end]);
        }

        using var reopened = new BatchSpool(_directory, 16 * 1024 * 1024);
        var plain = reopened.NextAfter(0)!;
        Assert.Equal([1UL], plain.Events.Select(e => e.Serial));
        Assert.Empty(plain.Exits);

        var both = reopened.NextAfter(1)!;
        Assert.Equal([2UL], both.Events.Select(e => e.Serial));
        var read = Assert.Single(both.Exits);
        Assert.Equal(exec.Process.ToString(), read.Process);
        Assert.Equal(11, read.Signal);
        Assert.True(read.CoreDumped);
        Assert.Null(read.ExitCode);
        Assert.Equal(end.TimeUnixMicros, read.TimeUnixMicros);

        var endsOnly = reopened.NextAfter(2)!;
        Assert.Empty(endsOnly.Events);
        Assert.Single(endsOnly.Exits);
    }
}
