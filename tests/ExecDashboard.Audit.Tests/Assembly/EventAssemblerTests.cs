using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Tests.Assembly;

public sealed class EventAssemblerTests
{
    [Fact]
    public void Completes_an_event_on_EOE()
    {
        var h = new AssemblerHarness().Add(
            Records.Syscall(10),
            Records.Of("EXECVE", 10, "argc=1 a0=\"expr\""),
            Records.Of("CWD", 10, "cwd=\"/\""));
        Assert.Empty(h.Completed);

        h.Add(Records.Of("EOE", 10, ""));

        var ev = Assert.Single(h.Completed);
        Assert.Equal(EventCompletion.EndOfEvent, ev.CompletedBy);
        Assert.Equal(3, ev.Records.Count);
        Assert.Equal(10u, ev.Serial);
        Assert.Equal(0, h.Assembler.InFlight);
    }

    [Fact]
    public void Completes_on_PROCTITLE_after_SYSCALL_and_swallows_the_EOE_that_follows()
    {
        var h = new AssemblerHarness().Add(
            Records.Syscall(11),
            Records.Of("PROCTITLE", 11, "proctitle=6C73"));

        Assert.Equal(EventCompletion.Proctitle, Assert.Single(h.Completed).CompletedBy);

        h.Add(Records.Of("EOE", 11, ""));
        Assert.Single(h.Completed);
        Assert.Equal(0, h.Assembler.LateRecords);
        Assert.Equal(0, h.Assembler.InFlight);
    }

    [Fact]
    public void PROCTITLE_before_SYSCALL_does_not_complete_a_reordered_event()
    {
        var h = new AssemblerHarness().Add(
            Records.Of("PROCTITLE", 225, "proctitle=6C73"),
            Records.Of("PATH", 225, "item=0 name=\"/bin/ls\""),
            Records.Syscall(225));
        Assert.Empty(h.Completed);

        h.Add(Records.Of("EOE", 225, ""));

        Assert.Equal(3, Assert.Single(h.Completed).Records.Count);
    }

    [Fact]
    public void A_user_space_record_is_a_whole_event()
    {
        var h = new AssemblerHarness().Add(Records.Of("USER_START", 416, "pid=1298 uid=0 msg='op=PAM:session_open res=success'"));

        Assert.Equal(EventCompletion.Standalone, Assert.Single(h.Completed).CompletedBy);
    }

    [Fact]
    public void Groups_interleaved_records_by_serial()
    {
        var h = new AssemblerHarness().Add(
            Records.Syscall(20, pid: 1),
            Records.Syscall(21, pid: 2),
            Records.Of("EXECVE", 21, "argc=1 a0=\"b\""),
            Records.Of("EXECVE", 20, "argc=1 a0=\"a\""),
            Records.Of("EOE", 21, ""),
            Records.Of("EOE", 20, ""));

        Assert.Equal([21u, 20u], h.Completed.Select(e => e.Serial));
        Assert.All(h.Completed, e => Assert.Equal(2, e.Records.Count));
        Assert.Equal("a", h.Completed[1].Find(AuditRecordTypes.Execve)!.GetUntrustedString("a0"u8));
    }

    [Theory]
    [InlineData(3)] // looked for along the list of open events
    [InlineData(40)] // more open than the list is walked for: looked up by key
    public void Groups_records_of_many_events_open_at_once_and_again_once_they_closed(int open)
    {
        var h = new AssemblerHarness();
        for (var round = 0; round < 2; round++)
        {
            var first = (uint)(1000 * (round + 1));
            var serials = Enumerable.Range(0, open).Select(i => first + (uint)i).ToArray();
            h.Add(serials.Select(s => Records.Syscall(s, pid: (int)s)).ToArray());
            Assert.Equal(open, h.Assembler.InFlight);
            h.Add(serials.Reverse().Select(s => Records.Of("EXECVE", s, $"argc=1 a0=\"{s}\"")).ToArray());
            h.Add(serials.Select(s => Records.Of("EOE", s, "")).ToArray());

            Assert.Equal(0, h.Assembler.InFlight);
            var completed = h.Completed.Skip(round * open).ToList();
            Assert.Equal(serials, completed.Select(e => e.Serial));
            Assert.All(completed, e => Assert.Equal(e.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Find(AuditRecordTypes.Execve)!.GetUntrustedString("a0"u8)));
        }

        Assert.Equal(0, h.Assembler.LateRecords);
    }

    [Fact]
    public void Same_serial_on_two_nodes_makes_two_events()
    {
        var h = new AssemblerHarness().Add(
            Records.Syscall(5, node: "a"),
            Records.Syscall(5, node: "b"),
            Records.Of("EOE", 5, "", node: "a"));

        Assert.Equal("a", Assert.Single(h.Completed).Node);
        Assert.Equal(1, h.Assembler.InFlight);
    }

    [Fact]
    public void Same_serial_with_another_timestamp_is_another_event()
    {
        var h = new AssemblerHarness().Add(
            Records.Syscall(5, time: "1700000000.100"),
            Records.Syscall(5, time: "1700000000.200"));

        Assert.Equal(2, h.Assembler.InFlight);
    }

    [Fact]
    public void Completes_when_stream_time_passes_the_timeout_and_the_grace_records()
    {
        var options = new EventAssemblerOptions { StreamTimeout = TimeSpan.FromSeconds(2), StreamTimeoutGraceRecords = 3 };
        var h = new AssemblerHarness(options).Add(
            Records.Syscall(30, time: "1700000000.000"),
            Records.Syscall(31, time: "1700000001.999"));
        Assert.Empty(h.Completed);

        h.Add(Records.Syscall(32, time: "1700000002.001"));
        Assert.Empty(h.Completed);

        h.Add(Records.Of("CWD", 32, "cwd=\"/\"", time: "1700000002.001"));

        var ev = Assert.Single(h.Completed);
        Assert.Equal(30u, ev.Serial);
        Assert.Equal(EventCompletion.StreamTimeout, ev.CompletedBy);
    }

    [Fact]
    public void A_straggler_right_after_a_time_jump_still_joins_its_event()
    {
        // Shape of go-libaudit's out_of_order.log: the next event comes seconds later, then a late PATH.
        var h = new AssemblerHarness().Add(
            Records.Syscall(60, time: "1492037291.038"),
            Records.Of("PATH", 60, "item=0 name=\"/usr/bin/cat\"", time: "1492037291.038"),
            Records.Syscall(61, syscall: 42, time: "1492037298.883"),
            Records.Of("PATH", 60, "item=1 name=\"/lib64/ld.so\"", time: "1492037291.038"));

        h.Assembler.Flush();

        Assert.Equal(3, h.Completed.Single(e => e.Serial == 60).Records.Count);
        Assert.Equal(0, h.Assembler.LateRecords);
    }

    [Fact]
    public void Counts_a_record_for_an_event_already_completed_as_late()
    {
        var h = new AssemblerHarness().Add(
            Records.Syscall(40),
            Records.Of("EOE", 40, ""),
            Records.Of("PATH", 40, "item=0 name=\"/x\""));

        Assert.Single(h.Completed);
        Assert.Equal(1, h.Assembler.LateRecords);
    }

    [Fact]
    public void Knows_a_straggler_as_late_only_while_its_event_is_among_the_last_completed()
    {
        var h = new AssemblerHarness(new EventAssemblerOptions { RecentlyCompletedMemory = 2 });
        foreach (var serial in new uint[] { 1, 3, 2 })
        {
            h.Add(Records.Syscall(serial), Records.Of("EOE", serial, ""));
        }

        // 3 and 2 are remembered (2 below the highest serial completed); 1 is forgotten and reopens.
        h.Add(Records.Of("PATH", 3, "item=0 name=\"/x\""), Records.Of("PATH", 2, "item=0 name=\"/x\""));
        Assert.Equal(2, h.Assembler.LateRecords);
        Assert.Equal(0, h.Assembler.InFlight);
        h.Add(Records.Of("PATH", 1, "item=0 name=\"/x\""));
        Assert.Equal(2, h.Assembler.LateRecords);
        Assert.Equal(1, h.Assembler.InFlight);

        // Same serial, another time or node: another event, not a straggler.
        h.Add(Records.Of("PATH", 3, "item=0 name=\"/x\"", time: "1700000000.124"), Records.Of("PATH", 2, "item=0 name=\"/x\"", node: "b"));
        Assert.Equal(2, h.Assembler.LateRecords);
        Assert.Equal(3, h.Assembler.InFlight);
    }

    [Fact]
    public void Knows_stragglers_as_late_across_the_serial_wrap()
    {
        var h = new AssemblerHarness(new EventAssemblerOptions { RecentlyCompletedMemory = 2 });
        foreach (var serial in new uint[] { uint.MaxValue - 1, uint.MaxValue, 0, 1 })
        {
            h.Add(Records.Syscall(serial), Records.Of("EOE", serial, ""));
        }

        h.Add(Records.Of("PATH", 1, "item=0 name=\"/x\""), Records.Of("PATH", 0, "item=0 name=\"/x\""));
        Assert.Equal(2, h.Assembler.LateRecords);

        // uint.MaxValue fell out of memory: its straggler opens an event, as a new serial 2 does.
        h.Add(Records.Of("PATH", uint.MaxValue, "item=0 name=\"/x\""), Records.Syscall(2));
        Assert.Equal(2, h.Assembler.LateRecords);
        Assert.Equal(2, h.Assembler.InFlight);
    }

    [Fact]
    public void Tick_completes_events_older_than_the_wall_clock_timeout()
    {
        var h = new AssemblerHarness(new EventAssemblerOptions { WallClockTimeout = TimeSpan.FromSeconds(2) });
        h.Add(Records.Syscall(50));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Add(Records.Syscall(51));

        h.Time.Advance(TimeSpan.FromMilliseconds(1500));
        h.Assembler.Tick();

        var ev = Assert.Single(h.Completed);
        Assert.Equal(50u, ev.Serial);
        Assert.Equal(EventCompletion.WallClockTimeout, ev.CompletedBy);

        h.Assembler.Tick(h.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Completed.Count);
    }

    [Fact]
    public void Completes_the_oldest_event_when_too_many_are_in_flight()
    {
        var h = new AssemblerHarness(new EventAssemblerOptions { MaxInFlightEvents = 2 }).Add(
            Records.Syscall(1),
            Records.Syscall(2),
            Records.Syscall(3));

        var ev = Assert.Single(h.Completed);
        Assert.Equal(1u, ev.Serial);
        Assert.Equal(EventCompletion.InFlightCap, ev.CompletedBy);
    }

    [Fact]
    public void Flush_completes_every_open_event_in_arrival_order()
    {
        var h = new AssemblerHarness().Add(Records.Syscall(7), Records.Syscall(6));

        h.Assembler.Flush();

        Assert.Equal([7u, 6u], h.Completed.Select(e => e.Serial));
        Assert.All(h.Completed, e => Assert.Equal(EventCompletion.Flush, e.CompletedBy));
        Assert.Equal(2, h.Assembler.EventsCompleted);
        Assert.Equal(2, h.Assembler.Records);
    }

    [Fact]
    public void Rejects_options_that_make_no_sense()
    {
        Assert.Throws<ArgumentException>(() => new EventAssemblerOptions { MaxInFlightEvents = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new EventAssemblerOptions { StreamTimeout = TimeSpan.Zero }.Validate());
    }
}
