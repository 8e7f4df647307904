using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Tests.Support;
using ExecDashboard.Domain.Trees;

namespace ExecDashboard.Domain.Tests.Trees;

public sealed class AncestryStepTests
{
    [Fact]
    public void Chain_runs_from_the_process_to_pid_1_with_a_badge_per_link()
    {
        var expr = SendmailLoop.Events(1).Last();
        var snapshot = expr with
        {
            Ancestry = [expr.Ancestry[0], expr.Ancestry[1] with { Provenance = Provenance.ProcSnapshot }, expr.Ancestry[2] with { Provenance = Provenance.Inferred }],
        };

        var chain = AncestryStep.ChainOf(snapshot);

        Assert.Equal(
            ["expr(2000)[1 + 1]", "bash(1000)[/usr/sbin/sendmail -t]", "esmtp-wrapper(500)[]", "systemd(1)[]"],
            chain.Select(s => s.Label));
        Assert.Equal(["exec seen", "exec seen", "/proc snapshot", "inferred"], chain.Select(s => s.Badge));
    }
}
