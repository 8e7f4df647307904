using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.TestSupport.Scenarios;

/// <summary>
/// The motivating storm as exec events: <c>esmtp-wrapper</c> (under PID 1) runs the shell script
/// <c>/usr/sbin/sendmail -t</c> once per queue size given, and each run execs <c>expr $n + 1</c>
/// once per queued item, so children per invocation grow with the queue.
/// </summary>
public sealed class SendmailLoopEvents
{
    public const string SendmailScript = "/usr/sbin/sendmail";
    public static readonly string[] SendmailArgv = ["/bin/bash", SendmailScript, "-t"];

    private SendmailLoopEvents(string boot)
    {
        Boot = boot;
        Init = new() { Key = new ProcessKey(boot, 1, 1), Pid = 1, Exe = "/usr/lib/systemd/systemd", Argv = ["/sbin/init"], Provenance = Provenance.ProcSnapshot };
        Caller = new() { Key = new ProcessKey(boot, 7000, 500), Pid = 7000, Exe = "/usr/bin/esmtp-wrapper", Argv = ["esmtp-wrapper", "--queue"], Provenance = Provenance.ProcSnapshot };
    }

    public string Boot { get; }

    public Ancestor Init { get; }

    /// <summary>The program that calls sendmail.</summary>
    public Ancestor Caller { get; }

    /// <summary>The sendmail runs (bash processes), in order.</summary>
    public IReadOnlyList<ProcessKey> Runs { get; private set; } = [];

    public IReadOnlyList<ExecEvent> Events { get; private set; } = [];

    /// <summary>Events in time order, <paramref name="spacing"/> apart from <paramref name="start"/>.</summary>
    public static SendmailLoopEvents Create(DateTimeOffset start, TimeSpan spacing, string boot = "5e4d0a11", params int[] queueSizes)
    {
        ArgumentNullException.ThrowIfNull(queueSizes);
        var loop = new SendmailLoopEvents(boot);
        var events = new List<ExecEvent>();
        var runs = new List<ProcessKey>();
        var time = start;
        ulong serial = 1000;
        var pid = 20_000;
        long ticks = 10_000;
        foreach (var size in queueSizes)
        {
            var run = new ProcessKey(boot, pid++, ticks++);
            runs.Add(run);
            events.Add(Exec(run, loop.Caller.Key, [loop.Caller, loop.Init], time, "/usr/bin/bash", SendmailArgv, serial++));
            var sendmail = new Ancestor { Key = run, Pid = run.Pid, Exe = "/usr/bin/bash", Argv = SendmailArgv, Provenance = Provenance.ExecSeen };
            for (var n = 1; n <= size; n++)
            {
                time += spacing;
                var expr = new ProcessKey(boot, pid++, ticks++);
                events.Add(Exec(expr, run, [sendmail, loop.Caller, loop.Init], time, "/usr/bin/expr", ["expr", n.ToString(CultureInfo.InvariantCulture), "+", "1"], serial++));
            }

            time += spacing;
        }

        loop.Runs = runs;
        loop.Events = events;
        return loop;
    }

    private static ExecEvent Exec(ProcessKey process, ProcessKey parent, IReadOnlyList<Ancestor> ancestry, DateTimeOffset time, string exe, string[] argv, ulong serial) => new()
    {
        Exec = new ExecObservation
        {
            Time = time,
            Serial = serial,
            Host = "sendmail-test",
            Pid = process.Pid,
            Ppid = parent.Pid,
            Uid = 8,
            Auid = uint.MaxValue,
            Comm = Path.GetFileName(exe),
            Exe = exe,
            Argv = argv,
            Cwd = "/var/spool/mqueue",
            Success = true,
            Exit = 0,
            Syscall = "execve",
            Arch = "x86_64",
        },
        Process = process,
        Parent = parent,
        Ancestry = ancestry,
    };
}
