using System.Globalization;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Benchmarks.Fleet;

/// <summary>
/// One host's sendmail story, endlessly: <c>esmtp-wrapper</c> runs <c>/usr/sbin/sendmail -t</c>,
/// and run n execs <c>expr i + 1</c> 10·n times (the queue grows, so does the work), then the next
/// run starts; after 50 runs the queue is flushed and it starts again at one. Every exec has its
/// full chain to PID 1, as a real collector ships it. Not thread-safe: one per simulated collector.
/// </summary>
internal sealed class SendmailTraffic(string host, int index)
{
    private const int RunsPerFlush = 50;

    private readonly string _boot = index.ToString("x8", CultureInfo.InvariantCulture);
    private ulong _serial;
    private int _pid = 1000;
    private long _ticks = 1000;
    private int _run;
    private int _childrenLeft;
    private int _child;
    private Ancestor? _sendmail;

    public string Host => host;

    /// <summary>The next <paramref name="count"/> execs, stamped <paramref name="now"/>.</summary>
    public ExecEventMessage[] Next(int count, DateTimeOffset now)
    {
        var init = Ancestors.Init(_boot);
        var wrapper = Ancestors.Of(new ProcessKey(_boot, 900, 100), "/usr/libexec/esmtp-wrapper", "esmtp-wrapper");
        var events = new ExecEventMessage[count];
        for (var i = 0; i < count; i++)
        {
            ExecEvent e;
            if (_childrenLeft == 0 || _sendmail is null)
            {
                _run = _run % RunsPerFlush + 1;
                _childrenLeft = 10 * _run;
                _child = 0;
                var run = ExecBuilder.Of("/usr/bin/bash", "/bin/bash", "/usr/sbin/sendmail", "-t").Key(NextKey()).Under(wrapper, init);
                e = Stamp(run, now);
                _sendmail = e.AsAncestor();
            }
            else
            {
                _childrenLeft--;
                _child++;
                var child = ExecBuilder.Of("/usr/bin/expr", "expr", _child.ToString(CultureInfo.InvariantCulture), "+", "1")
                    .Key(NextKey())
                    .Under(_sendmail, wrapper, init)
                    .Cwd("/var/spool/mqueue");
                e = Stamp(child, now);
            }

            events[i] = e.ToMessage();
        }

        return events;
    }

    private ExecEvent Stamp(ExecBuilder exec, DateTimeOffset now) =>
        exec.Host(host).Uid(8).At(now).Serial(++_serial).Build();

    /// <summary>PIDs wrap below the kernel's limit; start ticks only grow, so keys never repeat.</summary>
    private ProcessKey NextKey()
    {
        _pid = _pid >= 4_000_000 ? 1000 : _pid + 1;
        return new ProcessKey(_boot, _pid, ++_ticks);
    }
}
