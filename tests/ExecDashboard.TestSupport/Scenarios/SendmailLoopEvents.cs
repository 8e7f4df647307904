using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

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
        Init = Ancestors.Init(boot);
        Caller = Ancestors.Of(new ProcessKey(boot, 7000, 500), "/usr/bin/esmtp-wrapper", Provenance.ProcSnapshot, "esmtp-wrapper", "--queue");
    }

    public string Boot { get; }

    public Ancestor Init { get; }

    /// <summary>The program that calls sendmail.</summary>
    public Ancestor Caller { get; }

    /// <summary>The sendmail runs (bash processes), in order.</summary>
    public IReadOnlyList<ProcessKey> Runs { get; private set; } = [];

    public IReadOnlyList<ExecEvent> Events { get; private set; } = [];

    /// <summary>
    /// How each process of the loop ended, as the proc connector would say: every <c>expr</c> exits 0
    /// half a spacing after its exec, every run exits 0 half a spacing after its last child, so a
    /// run lasts as long as its children take (its duration grows with the queue).
    /// </summary>
    public IReadOnlyList<ProcessEnd> Ends { get; private set; } = [];

    /// <summary>Events in time order, <paramref name="spacing"/> apart from <paramref name="start"/>.</summary>
    public static SendmailLoopEvents Create(DateTimeOffset start, TimeSpan spacing, string boot = "5e4d0a11", params int[] queueSizes) =>
        Create(start, spacing, pause: spacing, runStatus: _ => ExitStatus.Exited(0), boot, queueSizes);

    /// <summary>
    /// As the other overload, with <paramref name="pause"/> between one run's end and the next
    /// run's start (the caller waiting for its next turn), and the n-th run (from 1) ending with
    /// <paramref name="runStatus"/>(n): a run that fails stands out among hundreds that do not.
    /// </summary>
    public static SendmailLoopEvents Create(DateTimeOffset start, TimeSpan spacing, TimeSpan pause, Func<int, ExitStatus> runStatus, string boot, IReadOnlyList<int> queueSizes)
    {
        ArgumentNullException.ThrowIfNull(queueSizes);
        ArgumentNullException.ThrowIfNull(runStatus);
        var loop = new SendmailLoopEvents(boot);
        var events = new List<ExecEvent>();
        var ends = new List<ProcessEnd>();
        var runs = new List<ProcessKey>();
        var time = start;
        ulong serial = 1000;
        var pid = 20_000;
        long ticks = 10_000;
        foreach (var size in queueSizes)
        {
            var run = new ProcessKey(boot, pid++, ticks++);
            runs.Add(run);
            var sendmail = Exec("/usr/bin/bash", SendmailArgv).Key(run).Under(loop.Caller, loop.Init).At(time).Serial(serial++);
            events.Add(sendmail.Build());
            var sendmailLink = sendmail.AsAncestor();
            var runStart = time;
            for (var n = 1; n <= size; n++)
            {
                time += spacing;
                var expr = new ProcessKey(boot, pid++, ticks++);
                events.Add(Exec("/usr/bin/expr", "expr", n.ToString(CultureInfo.InvariantCulture), "+", "1")
                    .Key(expr).Under(sendmailLink, loop.Caller, loop.Init).At(time).Serial(serial++).Build());
                ends.Add(new ProcessEnd { Process = expr, Started = time, Time = time + (spacing / 2), Status = ExitStatus.Exited(0) });
            }

            ends.Add(new ProcessEnd { Process = run, Started = runStart, Time = time + (spacing / 2), Status = runStatus(runs.Count) });
            time += pause;
        }

        loop.Runs = runs;
        loop.Events = events;
        loop.Ends = ends;
        return loop;
    }

    /// <summary>Every exec of the loop runs as the <c>mail</c> user (uid 8) in the mail queue.</summary>
    private static ExecBuilder Exec(string exe, params string[] argv) =>
        ExecBuilder.Of(exe, argv).Host("sendmail-test").Uid(8).Cwd("/var/spool/mqueue");
}
