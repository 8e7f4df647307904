using ExecDashboard.Domain.Processes;
using static ExecDashboard.Domain.Tests.Processes.Execs;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class LineageTextTests
{
    [Fact]
    public void Formats_exec_and_chain_with_arguments_after_argv0()
    {
        var table = SeededTable();

        var e = table.Attach(Exec(12828, 8024, "/usr/bin/expr", "expr", "1553", "+", "1"), startTicks: 9000);

        Assert.Equal(
            "/usr/bin/expr(12828)[1553 + 1] -- /usr/bin/bash(8024)[/usr/sbin/sendmail -t] -- /usr/lib/systemd/systemd(1)[--system]",
            LineageText.Format(e));
    }

    [Fact]
    public void Escapes_control_characters_and_marks_unknown_ancestors()
    {
        var table = Table();

        var e = table.Attach(Exec(5, 4, "/bin/printf", "printf", "a\nb\tc", "\u0001"), startTicks: null);

        Assert.Equal("/bin/printf(5)[a\\nb\\tc \\x01] -- ?(4)[]", LineageText.Format(e));
    }
}
