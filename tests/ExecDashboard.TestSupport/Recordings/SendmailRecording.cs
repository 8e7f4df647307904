using System.Globalization;

namespace ExecDashboard.TestSupport.Recordings;

/// <summary>
/// The motivating story at real scale, as a raw auditd log: a user's shell runs <c>sudo</c> again
/// and again; each sudo runs its command and also <c>bash /usr/sbin/sendmail -t</c>, and the n-th
/// sendmail run execs <c>expr N + 1</c> once per queued mail, <c>childrenPerRun(n)</c> times.
/// </summary>
public sealed class SendmailRecording
{
    public const string Node = "mailhost";
    public const string SendmailScript = "/usr/sbin/sendmail";
    public const int UserShellPid = 4000;

    /// <summary>Runs of sendmail, in start order, with how many <c>expr</c> children each made.</summary>
    public IReadOnlyList<(int Pid, int Children)> Runs { get; private init; } = [];

    public long Execs { get; private init; }

    public DateTimeOffset Start { get; private init; }

    public DateTimeOffset End { get; private init; }

    /// <summary>
    /// Writes <paramref name="runs"/> sendmail runs, the n-th (from 1) with
    /// <paramref name="childrenPerRun"/>(n) children, <paramref name="spacing"/> between execs and
    /// <paramref name="pause"/> between sudo invocations.
    /// </summary>
    public static SendmailRecording Write(TextWriter output, int runs, Func<int, int> childrenPerRun, DateTimeOffset start, TimeSpan spacing, TimeSpan pause)
    {
        ArgumentNullException.ThrowIfNull(childrenPerRun);
        var writer = new RawAuditLogWriter(output, Node);
        var time = start;
        var pid = 10_000;
        var list = new List<(int, int)>(runs);
        for (var n = 1; n <= runs; n++)
        {
            var sudo = pid++;
            writer.Write(new RecordedExec { Time = time, Pid = sudo, Ppid = UserShellPid, Exe = "/usr/bin/sudo", Argv = ["sudo", "systemctl", "status"], Cwd = "/home/ann", Uid = 1000 });
            time += spacing;
            writer.Write(new RecordedExec { Time = time, Pid = pid++, Ppid = sudo, Exe = "/usr/bin/systemctl", Argv = ["systemctl", "status"], Cwd = "/home/ann" });
            time += spacing;
            var sendmail = pid++;
            writer.Write(new RecordedExec { Time = time, Pid = sendmail, Ppid = sudo, Exe = "/usr/bin/bash", Argv = ["/bin/bash", SendmailScript, "-t"], Cwd = "/var/spool/mqueue" });
            var children = childrenPerRun(n);
            for (var i = 1; i <= children; i++)
            {
                time += spacing;
                writer.Write(new RecordedExec { Time = time, Pid = pid++, Ppid = sendmail, Exe = "/usr/bin/expr", Argv = ["expr", i.ToString(CultureInfo.InvariantCulture), "+", "1"], Cwd = "/var/spool/mqueue" });
            }

            list.Add((sendmail, children));
            time += pause;
        }

        return new SendmailRecording { Runs = list, Execs = writer.Execs, Start = start, End = time };
    }

    /// <summary>The story at the scale the issue tracker asks for: 224 runs of 10, 20, 30, ... children (252,672 execs).</summary>
    public static SendmailRecording WriteAtScale(TextWriter output, DateTimeOffset start) =>
        Write(output, runs: 224, n => 10 * n, start, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
}
