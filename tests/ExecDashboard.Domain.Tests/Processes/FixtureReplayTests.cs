using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class FixtureReplayTests
{
    [Theory]
    [InlineData("laurel/shell-proc-trace.txt")]
    [InlineData("laurel/shell-proc-trace-reordered.txt")]
    public void Pipeline_children_descend_from_the_forked_script_shell(string fixture)
    {
        var table = new ProcessTable(BootClock.ForReplay("shell-proc-trace"));

        var events = AuditFixtureReplay.Replay(table, fixture);

        var sed = events.Single(e => e.Exec.Pid == 71509);
        Assert.Equal([71506, 71505, 71432, 3505], sed.Ancestry.Select(a => a.Pid));
        Assert.Equal(["/usr/bin/dash", "/usr/bin/dash", string.Empty, string.Empty], sed.Ancestry.Select(a => a.Exe));
        Assert.Equal([Provenance.ExecSeen, Provenance.ExecSeen, Provenance.Inferred, Provenance.Inferred], sed.Ancestry.Select(a => a.Provenance));
        var script = events.Single(e => e.Exec.Pid == 71505);
        Assert.Equal(script.Process, sed.Ancestry[1].Key);
        var echo = events.Single(e => e.Exec.Pid == 71508);
        Assert.Equal(sed.Parent, echo.Parent);
        var grep = events.Single(e => e.Exec.Pid == 71507);
        Assert.Equal(script.Process, grep.Parent);
        Assert.Equal(
            "/usr/bin/sed(71509)[-e s/foo/bar/] -- /usr/bin/dash(71506)[./src/testdata/double-fork/test-script.sh] -- /usr/bin/dash(71505)[./src/testdata/double-fork/test-script.sh] -- ?(71432)[] -- ?(3505)[]",
            LineageText.Format(sed));
    }

    [Fact]
    public void Dpkg_query_keeps_the_key_of_dpkg_and_parents_the_pager()
    {
        var table = new ProcessTable(BootClock.ForReplay("dpkg-l"));

        var events = AuditFixtureReplay.Replay(table, "laurel/proc-trace-dpkg-l.txt");

        var dpkg = events.Single(e => e.Exec.Exe == "/usr/bin/dpkg");
        var query = events.Single(e => e.Exec.Exe == "/usr/bin/dpkg-query");
        var pager = events.Single(e => e.Exec.Exe == "/usr/bin/less");
        Assert.Equal(dpkg.Process, query.Process);
        Assert.Equal([1140463, 1140462, 1140453, 1140452, 1140356], pager.Ancestry.Select(a => a.Pid));
        Assert.Equal(["sh", "-c", "--", "pager"], pager.Ancestry[0].Argv);
        Assert.Equal(["dpkg-query", "--list", "--"], pager.Ancestry[1].Argv);
        Assert.Equal(["-bash"], pager.Ancestry[2].Argv);
        Assert.Equal(query.Process, pager.Ancestry[1].Key);
        Assert.Equal(0, table.PidReuses);
    }

    [Fact]
    public void Reused_pid_of_an_old_rm_is_not_taken_for_the_parent_of_id()
    {
        var table = new ProcessTable(BootClock.ForReplay("confusion"));

        var events = AuditFixtureReplay.Replay(table, "laurel/shell-proc-trace-confusion.txt");

        var rm = events.Single(e => e.Exec.Exe == "/usr/bin/rm");
        var id = events.Single(e => e.Exec.Exe == "/usr/bin/id");
        var awk = events.Single(e => e.Exec.Exe == "/usr/bin/gawk");
        Assert.NotEqual(rm.Process, id.Parent);
        Assert.Equal(awk.Process, id.Parent);
        Assert.Equal("/bin/tcsh", id.Ancestry[0].Exe);
        Assert.Equal(["-csh", "-c", "/tmp/REDACTED.csh"], id.Ancestry[0].Argv);
        Assert.Equal(2542, id.Ancestry[1].Pid);
        Assert.Equal(["awk", "-F)", "{print $1}"], awk.Exec.Argv);
        Assert.True(table.PidReuses >= 1);
    }

    [Fact]
    public void Orphan_reparented_to_init_still_descends_from_the_program_that_forked_it()
    {
        var table = new ProcessTable(BootClock.ForReplay("fork-sleep-exec"));

        var events = AuditFixtureReplay.Replay(table, "laurel/fork-sleep-exec.txt");

        var parent = events.Single(e => e.Exec.Pid == 1578539);
        var orphan = events.Single(e => e.Exec.Pid == 1578540);
        Assert.Equal(1, orphan.Exec.Ppid);
        Assert.Equal(parent.Process, orphan.Parent);
        Assert.Equal("/home/user/bin/uncaring-parent", orphan.Ancestry[0].Exe);
        Assert.Equal(Provenance.ExecSeen, orphan.Ancestry[0].Provenance);
    }
}
