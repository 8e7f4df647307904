using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Support;

/// <summary>
/// The motivating storm: a caller runs <c>bash /usr/sbin/sendmail -t</c> three times with a growing
/// queue (10, 20, 30 items); each run execs <c>expr $n + 1</c> once per item.
/// </summary>
internal static class SendmailLoop
{
    public static readonly ProcessKey Init = Key(1, 1);
    public static readonly ProcessKey Caller = Key(500);
    public static readonly string[] SendmailArgv = ["/bin/bash", "/usr/sbin/sendmail", "-t"];

    public static ProcessKey Sendmail(int run) => Key(1000 + (run * 100));

    /// <summary>All execs in time order, 50 ms apart, starting at <see cref="ExecEvents.T0"/>.</summary>
    public static IReadOnlyList<ExecEvent> Events(params int[] queueSizes)
    {
        var init = Ancestor(Init, "/usr/lib/systemd/systemd", "/sbin/init");
        var caller = Ancestor(Caller, "/usr/bin/esmtp-wrapper", "esmtp-wrapper");
        var events = new List<ExecEvent>();
        var time = T0;
        ulong serial = 100;
        var pid = 2000;
        for (var run = 0; run < queueSizes.Length; run++)
        {
            var sendmail = Sendmail(run);
            events.Add(Exec(sendmail, [caller, init], time, "/usr/bin/bash", SendmailArgv, serial++));
            var sendmailAncestor = Ancestor(sendmail, "/usr/bin/bash", SendmailArgv);
            for (var n = 1; n <= queueSizes[run]; n++)
            {
                time = time.AddMilliseconds(50);
                events.Add(Exec(Key(pid++), [sendmailAncestor, caller, init], time, "/usr/bin/expr", ["expr", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "+", "1"], serial++));
            }

            time = time.AddMilliseconds(50);
        }

        return events;
    }
}
