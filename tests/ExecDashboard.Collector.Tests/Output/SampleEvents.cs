using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Collector.Tests.Output;

/// <summary>One <c>expr</c> of the sendmail storm, with fixed values the output tests spell out.</summary>
internal static class SampleEvents
{
    private const string Boot = "0a1b2c3d";

    public static readonly ExecBuilder Expr = ExecBuilder.Of("/usr/bin/expr", "expr", "1553", "+", "1")
        .Key(new ProcessKey(Boot, 12828, 1000))
        .Under(
            Ancestors.Of(new ProcessKey(Boot, 8024, 900), "/usr/bin/bash", "/bin/sh", "/usr/sbin/sendmail", "-t"),
            Ancestors.Init(Boot, startTicks: 5))
        .At(new DateTimeOffset(2026, 11, 24, 16, 5, 12, 345, TimeSpan.Zero))
        .Serial(4242)
        .Host("vm")
        .Cwd("/var/spool");
}
