using System.Globalization;
using ExecDashboard.TestSupport.Recordings;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Two hosts whose processes have the same PIDs at the same times: on each, a shell (PID 500)
/// starts children 501, 502, … of one program, <c>alpha</c> on host-a and <c>beta</c> on host-b.
/// Each host's log is replayed by its own real collector (<c>--source file</c>, the log's
/// <c>node=</c> naming the host) into one dashboard. Only the host tells the processes apart, so a
/// view that mixed hosts would show it.
/// </summary>
internal static class TwoHostFleet
{
    public const string HostA = "host-a";
    public const string HostB = "host-b";
    public const int ShellPid = 500;
    public const int ChildrenA = 20;
    public const int ChildrenB = 10;

    public static int ExecsOf(string host) => 1 + (host == HostA ? ChildrenA : ChildrenB);

    public static string ProgramOf(string host) => host == HostA ? "alpha" : "beta";

    /// <summary>Writes both logs under <paramref name="work"/>, replays each with its own collector, and waits for both to finish.</summary>
    public static async Task ShipAsync(DashboardProcess dashboard, string work)
    {
        // Recent times, so the live rate windows (the last minute) hold them.
        var start = DateTimeOffset.UtcNow.AddSeconds(-20);
        var collectors = new List<ReplayingCollector>();
        try
        {
            foreach (var host in new[] { HostA, HostB })
            {
                collectors.Add(await StartAsync(host, dashboard, work, start));
            }

            foreach (var collector in collectors)
            {
                var exit = await collector.ExitCodeAsync();
                Assert.True(exit == 0, $"A collector exited {exit}:\n{collector.Stderr}");
            }
        }
        finally
        {
            foreach (var collector in collectors)
            {
                await collector.DisposeAsync();
            }
        }
    }

    /// <summary>Writes <paramref name="host"/>'s log under <paramref name="work"/> and starts its collector, shipping to <paramref name="dashboard"/>.</summary>
    public static async Task<ReplayingCollector> StartAsync(string host, DashboardProcess dashboard, string work, DateTimeOffset start)
    {
        var log = Path.Combine(work, $"{host}.log");
        await WriteAsync(log, host, start);
        return ReplayingCollector.Start(log, [dashboard.BaseAddress], Path.Combine(work, $"{host}-spool"));
    }

    private static async Task WriteAsync(string path, string host, DateTimeOffset start)
    {
        await using var output = new StreamWriter(path);
        var writer = new RawAuditLogWriter(output, host);
        var program = ProgramOf(host);
        writer.Write(new RecordedExec { Time = start, Pid = ShellPid, Ppid = 1, Exe = "/usr/bin/bash", Argv = ["bash", $"run-{program}"] });
        var children = host == HostA ? ChildrenA : ChildrenB;
        for (var i = 1; i <= children; i++)
        {
            writer.Write(new RecordedExec
            {
                Time = start.AddMilliseconds(10 * i),
                Pid = ShellPid + i,
                Ppid = ShellPid,
                Exe = $"/usr/bin/{program}",
                Argv = [program, i.ToString(CultureInfo.InvariantCulture)],
            });
        }
    }
}
