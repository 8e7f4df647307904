using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Audit.Tests.Pipeline;

public sealed class AuditExecPipelineTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<ExecObservation> _execs = [];

    private AuditExecPipeline NewPipeline() => new("host-a", new EventAssemblerOptions(), _time, _execs.Add);

    [Fact]
    public void Emits_an_exec_from_netlink_records_on_EOE()
    {
        var pipeline = NewPipeline();

        pipeline.Push(Records.Netlink(1300, Records.Syscall(3)["type=SYSCALL msg=".Length..]));
        pipeline.Push(Records.Netlink(1309, "audit(1700000000.123:3): argc=2 a0=\"expr\" a1=\"1\""));
        Assert.Empty(_execs);
        pipeline.Push(Records.Netlink(1320, "audit(1700000000.123:3): "));

        var exec = Assert.Single(_execs);
        Assert.Equal(["expr", "1"], exec.Argv);
        Assert.Equal("host-a", exec.Host);
        Assert.Equal(1, pipeline.ExecsEmitted);
    }

    [Fact]
    public void Counts_malformed_records_and_keeps_going()
    {
        var pipeline = NewPipeline();

        pipeline.Push(Records.Line("garbage"));
        pipeline.Push(Records.Line(""));
        pipeline.Push(Records.Line(Records.Syscall(4)));
        pipeline.Push(Records.Line(Records.Of("EOE", 4, "")));

        Assert.Equal(1, pipeline.MalformedRecords);
        Assert.Equal(1, pipeline.BlankRecords);
        Assert.Equal(AuditParseError.MissingType, pipeline.LastParseError);
        Assert.Single(_execs);
    }

    [Fact]
    public void Tick_releases_an_event_a_live_source_never_ended()
    {
        var pipeline = NewPipeline();
        pipeline.Push(Records.Line(Records.Syscall(5)));

        pipeline.Tick(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Empty(_execs);
        pipeline.Tick(_time.GetUtcNow() + TimeSpan.FromSeconds(3));

        Assert.Single(_execs);
    }

    [Fact]
    public void Loss_report_carries_gaps_malformed_and_source_counters()
    {
        var pipeline = NewPipeline();
        var source = new AuditSourceCounters();
        source.SetKernelStatus(lost: 7, backlog: 0);
        source.AddQueueDrop();
        pipeline.Push(Records.Line(Records.Of("USER_CMD", 10, "pid=1")));
        pipeline.Push(Records.Line(Records.Of("USER_CMD", 13, "pid=1")));
        pipeline.Push(Records.Line("type=SYSCALL msg=audit(bad"));
        pipeline.Flush();

        var report = pipeline.ToLossReport(source);

        Assert.Equal(2, report.SerialGaps);
        Assert.Equal(1, report.MalformedRecords);
        Assert.Equal(7, report.KernelLost);
        Assert.Equal(1, report.QueueDrops);
    }
}
