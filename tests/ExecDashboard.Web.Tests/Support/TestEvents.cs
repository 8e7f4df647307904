using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>
/// Exec events shaped like the sendmail storm: <c>expr</c> children of a bash script, under
/// systemd. Serial numbers are unique per call site so tests can count arrivals exactly.
/// </summary>
public static class TestEvents
{
    public const string Boot = "0badc0de";
    public const string Host = "test-host";

    public static readonly Ancestor Systemd = Ancestors.Init(Boot, startTicks: 5);

    public static readonly Ancestor Sendmail = Ancestors.Of(new ProcessKey(Boot, 8024, 1000), "/usr/bin/bash", "bash", "/usr/sbin/sendmail", "-t");

    /// <summary>A child of <see cref="Sendmail"/> on this test host; callers choose its key.</summary>
    public static ExecBuilder Child(string exe, params string[] argv) =>
        ExecBuilder.Of(exe, argv).Under(Sendmail, Systemd).Host(Host);

    /// <summary>The <paramref name="serial"/>th <c>expr</c>, a millisecond after the one before unless <paramref name="time"/> says otherwise.</summary>
    public static ExecEvent Expr(ulong serial, DateTimeOffset? time = null)
    {
        var pid = 10_000 + (int)(serial % 50_000);
        return Child("/usr/bin/expr", "expr", serial.ToString(CultureInfo.InvariantCulture), "+", "1")
            .Key(new ProcessKey(Boot, pid, 2000 + (long)serial))
            .At(time ?? DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000).AddMilliseconds((long)serial))
            .Serial(serial)
            .Cwd("/var/spool/mqueue")
            .Build();
    }
}
