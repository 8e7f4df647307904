using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExecDashboard.Sources.Netlink;
using ExecDashboard.TestSupport;
using Xunit.Abstractions;

namespace ExecDashboard.Kernel.Tests.Netlink;

/// <summary>
/// An exec storm from a shell loop: every exec must arrive once, or the loss must be counted.
/// The figures (exec rate with and without us, records per second, kernel lost) go to the test
/// output; run with <c>--logger "console;verbosity=detailed"</c> to see them. Nothing here is timed.
/// </summary>
public sealed partial class ExecStormTests(ITestOutputHelper output)
{
    private const string Key = "execdash-test";
    private const int Execs = 3000;

    [Theory]
    [InlineData(NetlinkAuditMode.Daemon)]
    [InlineData(NetlinkAuditMode.Multicast)]
    public async Task Receives_every_exec_of_a_storm_or_counts_the_loss(NetlinkAuditMode mode)
    {
        using var kernel = KernelAuditLock.Acquire();
        var state = KernelAuditState.Capture();
        try
        {
            Storm("warm-up");
            var baseline = Storm("baseline");

            var tag = Guid.NewGuid().ToString("N")[..8];
            await using var running = RunningSource.Start(Key, mode);
            var lostBefore = AuditStatus.Read().Lost;
            var recordsBefore = running.Source.Counters.Records;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var audited = Storm(tag);
            var received = WaitUntilQuiet(running, clock, TimeSpan.FromSeconds(60));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var records = running.Source.Counters.Records - recordsBefore;
            var seen = CountStormExecsAfterNudges(running, tag);
            var lost = AuditStatus.Read().Lost - lostBefore;

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                mode {mode}: {Execs} execs of /bin/true from a sh loop
                baseline (no rules): {Execs / baseline.TotalSeconds:F0} execs/s
                audited:             {Execs / audited.TotalSeconds:F0} execs/s (ratio {baseline.TotalSeconds / audited.TotalSeconds:F2} of baseline)
                received:            {records} records in {received.TotalSeconds:F2} s = {records / received.TotalSeconds:F0} records/s; storm execs seen {seen.Count}/{Execs}
                test process CPU (receive thread, channel reader, runtime) storm start to last record: {cpu.TotalMilliseconds:F0} ms = {cpu.TotalMilliseconds * 10_000 / Execs:F0} ms per 10,000 execs
                kernel lost during storm: {lost}; socket overruns: {running.Source.SocketOverruns}; receive buffer {running.Source.ReceiveBufferBytes} bytes
                """));

            Assert.All(seen.Values, count => Assert.Equal(1, count));
            if (mode == NetlinkAuditMode.Daemon || running.Source.SocketOverruns == 0 && lost == 0)
            {
                Assert.Equal(Execs, seen.Count);
                Assert.Equal(0u, lost);
            }
        }
        finally
        {
            state.Restore(Key);
        }
    }

    [Fact]
    public async Task Drains_a_storm_that_queued_behind_a_stalled_consumer_without_loss()
    {
        using var kernel = KernelAuditLock.Acquire();
        var state = KernelAuditState.Capture();
        try
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            await using var running = RunningSource.Start(Key, NetlinkAuditMode.Daemon, capacity: 1024, collect: false);
            var lostBefore = AuditStatus.Read().Lost;
            Storm(tag);
            var queued = running.Source.Counters.Records;

            var recordsBefore = running.Source.Counters.Records;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            running.StartCollecting();
            var drained = WaitUntilQuiet(running, clock, TimeSpan.FromSeconds(60));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var records = running.Source.Counters.Records - recordsBefore;

            var seen = CountStormExecsAfterNudges(running, tag);

            var lost = AuditStatus.Read().Lost - lostBefore;

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                drain: {Execs} execs queued behind a stalled consumer (channel capacity 1024, {queued} records already in it)
                drained {records} records in {drained.TotalSeconds:F2} s = {records / drained.TotalSeconds:F0} records/s, test process CPU {cpu.TotalMilliseconds:F0} ms
                storm execs seen {seen.Count}/{Execs}; kernel lost {lost}; socket overruns {running.Source.SocketOverruns}
                """));

            Assert.Equal(Execs, seen.Count);
            Assert.Equal(0u, lost);
        }
        finally
        {
            state.Restore(Key);
        }
    }

    /// <summary>Runs the shell loop; each exec carries <c>storm-TAG-I</c> as its argument.</summary>
    private static TimeSpan Storm(string tag)
    {
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"i=0; while [ $i -lt {Execs} ]; do /bin/true storm-{tag}-$i; i=$((i+1)); done");
        var clock = Stopwatch.StartNew();
        using var shell = Process.Start(start)!;
        shell.WaitForExit();
        return clock.Elapsed;
    }

    /// <summary>Waits until no record has arrived for half a second; returns the time from storm start to the last record.</summary>
    private static TimeSpan WaitUntilQuiet(RunningSource running, Stopwatch clock, TimeSpan timeout)
    {
        var last = running.Source.Counters.Records;
        var lastChange = clock.Elapsed;
        while (clock.Elapsed < timeout && clock.Elapsed - lastChange < TimeSpan.FromMilliseconds(500))
        {
            Thread.Sleep(5);
            var now = running.Source.Counters.Records;
            if (now != last)
            {
                last = now;
                lastChange = clock.Elapsed;
            }
        }

        return lastChange;
    }

    /// <summary>
    /// The storm's execs seen, after waking kauditd until none is missing (at most 20 times):
    /// records the kernel could not deliver while our socket was full wait in its retry queue,
    /// and kauditd only retries when a new record wakes it (kernel/audit.c, kauditd_thread). Real
    /// machines always make more records; a quiet test makes them one exec at a time. A record
    /// the kernel dropped is still missing afterwards, and counted as lost.
    /// </summary>
    private static Dictionary<int, int> CountStormExecsAfterNudges(RunningSource running, string tag)
    {
        var seen = CountStormExecs(running, tag);
        for (var nudge = 0; nudge < 20 && seen.Count < Execs; nudge++)
        {
            using (var poke = Process.Start("/bin/true")!)
            {
                poke.WaitForExit();
            }

            WaitUntilQuiet(running, Stopwatch.StartNew(), TimeSpan.FromSeconds(10));
            seen = CountStormExecs(running, tag);
        }

        return seen;
    }

    private static Dictionary<int, int> CountStormExecs(RunningSource running, string tag)
    {
        var pattern = new Regex($"a1=\"storm-{tag}-(\\d+)\"", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var seen = new Dictionary<int, int>();
        foreach (var record in running.Records().Where(r => r.Type == 1309))
        {
            if (pattern.Match(record.Text) is { Success: true } match)
            {
                var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                seen[index] = seen.GetValueOrDefault(index) + 1;
            }
        }

        return seen;
    }
}
