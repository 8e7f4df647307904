using ExecDashboard.Domain.Processes;
using static ExecDashboard.Domain.Tests.Processes.Execs;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class ProcessTableTests
{
    [Fact]
    public void Exec_under_snapshot_processes_carries_chain_to_pid_1_nearest_first()
    {
        var table = SeededTable();

        var e = table.Attach(Exec(12828, 8024, "/usr/bin/expr", "expr", "1553", "+", "1"), startTicks: 9000);

        Assert.Equal(new ProcessKey("0a1b2c3d", 12828, 9000), e.Process);
        Assert.Equal(new ProcessKey("0a1b2c3d", 8024, 5000), e.Parent);
        Assert.Equal([8024, 1], e.Ancestry.Select(a => a.Pid));
        Assert.Equal(["/usr/bin/bash", "/usr/lib/systemd/systemd"], e.Ancestry.Select(a => a.Exe));
        Assert.All(e.Ancestry, a => Assert.Equal(Provenance.ProcSnapshot, a.Provenance));
        Assert.Equal(["/bin/bash", "/usr/sbin/sendmail", "-t"], e.Ancestry[0].Argv);
    }

    [Fact]
    public void Exec_of_pid_1_has_no_parent()
    {
        var table = SeededTable();

        var e = table.Attach(Exec(1, 0, "/usr/lib/systemd/systemd"), startTicks: 1);

        Assert.True(e.Parent.IsNone);
        Assert.Empty(e.Ancestry);
        Assert.Equal(new ProcessKey("0a1b2c3d", 1, 1), e.Process);
    }

    [Fact]
    public void Snapshot_kernel_thread_without_exe_is_shown_by_its_comm()
    {
        var table = SeededTable();
        table.Seed(Snap(300, 2, 40, null));

        var e = table.Attach(Exec(301, 300, "/usr/bin/true"), startTicks: 50);

        Assert.Equal("[kworker/0:1]", e.Ancestry[0].Exe);
        Assert.Equal(2, e.Ancestry[1].Pid);
        Assert.Equal(2, e.Ancestry.Count);
    }

    [Fact]
    public void Exec_keeps_the_process_key_when_the_same_process_execs_again()
    {
        var table = SeededTable();
        var first = table.Attach(Exec(900, 8024, "/usr/bin/dpkg", "dpkg", "-l"), startTicks: 7000);

        var second = table.Attach(Exec(900, 8024, "/usr/bin/dpkg-query", "dpkg-query", "--list"), startTicks: 7000);
        var child = table.Attach(Exec(901, 900, "/usr/bin/less", "pager"), startTicks: 7100);

        Assert.Equal(first.Process, second.Process);
        Assert.Equal(first.Ancestry, second.Ancestry);
        Assert.Equal(second.Process, child.Parent);
        Assert.Equal("/usr/bin/dpkg-query", child.Ancestry[0].Exe);
        Assert.Equal(Provenance.ExecSeen, child.Ancestry[0].Provenance);
    }

    [Fact]
    public void Failed_exec_does_not_change_the_image()
    {
        var table = SeededTable();
        table.Attach(Exec(900, 8024, "/bin/sh", "sh", "-c", "x"), startTicks: 7000);

        var failed = table.Attach(Failed(Exec(900, 8024, "/nonexistent", "nonexistent")), startTicks: 7000);
        var child = table.Attach(Exec(901, 900, "/usr/bin/true"), startTicks: 7100);

        Assert.Equal(failed.Process, child.Parent);
        Assert.Equal("/bin/sh", child.Ancestry[0].Exe);
        Assert.Equal(["sh", "-c", "x"], child.Ancestry[0].Argv);
    }

    [Fact]
    public void Pid_reused_after_connector_exit_gets_a_new_key()
    {
        var table = SeededTable();
        var old = table.Attach(At(T0, 500, 8024, "/usr/bin/expr", "expr", "1"), startTicks: null);
        table.Apply(ProcessLifecycleEvent.Exit(500, T0.AddMilliseconds(5)));

        var reused = table.Attach(At(T0.AddSeconds(10), 500, 8024, "/usr/bin/expr", "expr", "2"), startTicks: null);

        Assert.NotEqual(old.Process, reused.Process);
        Assert.Equal(old.Parent, reused.Parent);
    }

    [Fact]
    public void Pid_reused_is_told_by_differing_start_ticks()
    {
        var table = SeededTable();
        var old = table.Attach(Exec(500, 8024, "/usr/bin/expr"), startTicks: 6000);

        var same = table.Attach(Exec(500, 8024, "/usr/bin/expr"), startTicks: 6000);
        var reused = table.Attach(Exec(500, 8024, "/usr/bin/expr"), startTicks: 6500);

        Assert.Equal(old.Process, same.Process);
        Assert.Equal(new ProcessKey("0a1b2c3d", 500, 6500), reused.Process);
        Assert.Equal(1, table.PidReuses);
    }

    [Fact]
    public void Live_start_after_a_derived_start_means_a_new_process()
    {
        var table = SeededTable();
        var derived = table.Attach(At(T0, 500, 8024, "/usr/bin/expr"), startTicks: null);
        Assert.Equal(Clock.ToTicks(T0), derived.Process.StartTicks);

        var earlier = table.Attach(At(T0, 500, 8024, "/usr/bin/expr"), startTicks: Clock.ToTicks(T0) - 3);
        var later = table.Attach(At(T0.AddSeconds(9), 500, 8024, "/usr/bin/expr"), startTicks: Clock.ToTicks(T0.AddSeconds(9)));

        Assert.Equal(derived.Process, earlier.Process);
        Assert.NotEqual(derived.Process, later.Process);
    }

    [Fact]
    public void Pid_reused_is_told_by_a_changed_ppid_while_the_old_parent_lives()
    {
        var table = SeededTable();
        table.Seed(Snap(8030, 1, 5100, "/usr/bin/zsh", "zsh"));
        var old = table.Attach(Exec(500, 8024, "/usr/bin/expr"), startTicks: null);

        var reused = table.Attach(Exec(500, 8030, "/usr/bin/expr"), startTicks: null);

        Assert.NotEqual(old.Process, reused.Process);
        Assert.Equal(8030, reused.Parent.Pid);
    }

    [Fact]
    public void Process_reparented_to_init_keeps_its_key_and_who_started_it()
    {
        var table = SeededTable();
        table.Apply(ProcessLifecycleEvent.Fork(8024, 700, T0, startTicks: 6000));
        var forked = table.Attach(Exec(701, 700, "/usr/bin/true"), startTicks: 6001);

        var orphan = table.Attach(Exec(700, 1, "/usr/bin/sleep", "sleep", "1"), startTicks: null);

        Assert.Equal(forked.Parent, orphan.Process);
        Assert.Equal(8024, orphan.Parent.Pid);
        Assert.Equal(1, orphan.Exec.Ppid);
    }

    [Fact]
    public void Unknown_parent_is_inferred_once_and_keeps_its_key_when_it_execs()
    {
        var table = SeededTable();

        var first = table.Attach(Exec(801, 777, "/usr/bin/true"), startTicks: null);
        var second = table.Attach(Exec(802, 777, "/usr/bin/false"), startTicks: null);
        var parentExec = table.Attach(Exec(777, 8024, "/usr/bin/make", "make", "all"), startTicks: null);
        var third = table.Attach(Exec(803, 777, "/usr/bin/cc"), startTicks: null);

        var inferred = Assert.Single(first.Ancestry);
        Assert.Equal(Provenance.Inferred, inferred.Provenance);
        Assert.Equal(string.Empty, inferred.Exe);
        Assert.Equal(first.Parent, second.Parent);
        Assert.Equal(first.Parent, parentExec.Process);
        Assert.Equal(first.Parent, third.Parent);
        Assert.Equal("/usr/bin/make", third.Ancestry[0].Exe);
        Assert.Equal([777, 8024, 1], third.Ancestry.Select(a => a.Pid));
    }

    [Fact]
    public void Ancestors_show_the_image_that_forked_the_descendant()
    {
        var table = SeededTable();
        table.Attach(Exec(600, 8024, "/bin/sh", "sh", "wrapper.sh"), startTicks: 6000);
        table.Apply(ProcessLifecycleEvent.Fork(600, 601, T0, startTicks: 6001));
        table.Attach(Exec(600, 8024, "/usr/bin/esmtp", "esmtp", "-t"), startTicks: 6000);
        table.Apply(ProcessLifecycleEvent.Fork(600, 602, T0, startTicks: 6002));

        var early = table.Attach(Exec(601, 600, "/usr/bin/expr", "expr", "1"), startTicks: 6001);
        var late = table.Attach(Exec(602, 600, "/usr/bin/expr", "expr", "2"), startTicks: 6002);

        Assert.Equal("/bin/sh", early.Ancestry[0].Exe);
        Assert.Equal("/usr/bin/esmtp", late.Ancestry[0].Exe);
        Assert.Equal(early.Parent, late.Parent);
    }

    [Fact]
    public void Forked_child_that_never_execs_runs_its_parents_image()
    {
        var table = SeededTable();
        table.Attach(Exec(600, 8024, "/bin/sh", "sh", "script"), startTicks: 6000);
        table.Apply(ProcessLifecycleEvent.Fork(600, 610, T0, startTicks: 6010));
        table.Apply(ProcessLifecycleEvent.Fork(610, 611, T0, startTicks: 6011));

        var e = table.Attach(Exec(611, 610, "/usr/bin/sed"), startTicks: 6011);

        Assert.Equal([610, 600, 8024, 1], e.Ancestry.Select(a => a.Pid));
        Assert.Equal("/bin/sh", e.Ancestry[0].Exe);
        Assert.Equal(["sh", "script"], e.Ancestry[0].Argv);
        Assert.NotEqual(e.Ancestry[0].Key, e.Ancestry[1].Key);
    }

    [Fact]
    public void Parent_loop_in_bad_data_is_cut()
    {
        var table = Table();
        table.Seed([Snap(10, 11, 100, "/a"), Snap(11, 10, 100, "/b")]);

        var e = table.Attach(Exec(12, 10, "/c"), startTicks: 200);

        Assert.Equal([10, 11], e.Ancestry.Select(a => a.Pid));
        Assert.Equal(1, table.CyclesCut);
    }

    [Fact]
    public void Ancestry_is_capped_at_the_configured_depth()
    {
        var table = Table(new ProcessTableOptions { MaxDepth = 8 });
        table.Seed(Enumerable.Range(1, 100).Select(pid => Snap(pid, pid - 1, pid, $"/bin/p{pid}")));

        var e = table.Attach(Exec(101, 100, "/bin/leaf"), startTicks: 101);

        Assert.Equal(8, e.Ancestry.Count);
        Assert.Equal(Enumerable.Range(93, 8).Reverse(), e.Ancestry.Select(a => a.Pid));
    }

    [Fact]
    public void Late_exec_of_a_child_finds_its_ended_parent()
    {
        var table = SeededTable();
        var parent = table.Attach(Exec(600, 8024, "/bin/sh", "sh", "-c", "x &"), startTicks: 6000);
        table.Apply(ProcessLifecycleEvent.Fork(600, 601, T0, startTicks: 6001));
        table.Apply(ProcessLifecycleEvent.Exit(600, T0.AddMilliseconds(1)));

        var child = table.Attach(At(T0.AddSeconds(5), 601, 1, "/usr/bin/sleep"), startTicks: 6001);

        Assert.Equal(parent.Process, child.Parent);
        Assert.Equal("/bin/sh", child.Ancestry[0].Exe);
        Assert.False(table.IsKnown(600));
    }

    [Fact]
    public void Exit_that_overtakes_the_exec_keeps_the_forked_key()
    {
        var table = SeededTable();
        table.Apply(ProcessLifecycleEvent.Fork(8024, 650, T0, startTicks: 6500));
        table.Apply(ProcessLifecycleEvent.Exit(650, T0.AddMilliseconds(2)));

        var e = table.Attach(At(T0.AddMilliseconds(1), 650, 8024, "/usr/bin/expr"), startTicks: null);

        Assert.Equal(new ProcessKey("0a1b2c3d", 650, 6500), e.Process);
        Assert.Equal(0, table.PidReuses);
    }

    [Fact]
    public void Late_fork_corrects_the_parent_and_keeps_the_key()
    {
        var table = SeededTable();
        var parent = table.Attach(Exec(600, 8024, "/bin/sh", "sh"), startTicks: 6000);
        var early = table.Attach(Exec(660, 1, "/usr/bin/sleep"), startTicks: 6600);

        table.Apply(ProcessLifecycleEvent.Fork(600, 660, T0, startTicks: 6600));
        var again = table.Attach(Exec(660, 1, "/usr/bin/sleep"), startTicks: 6600);

        Assert.Equal(1, early.Parent.Pid);
        Assert.Equal(early.Process, again.Process);
        Assert.Equal(parent.Process, again.Parent);
    }

    [Fact]
    public void Fork_timestamp_one_tick_after_the_proc_start_is_the_same_process()
    {
        var table = SeededTable();
        table.Seed(Snap(660, 8024, 6600, "/bin/sh", "sh"));
        var seeded = table.Attach(Exec(660, 8024, "/usr/bin/sleep"), startTicks: null);

        // The proc connector's fork timestamp is taken microseconds after the start /proc shows.
        table.Apply(ProcessLifecycleEvent.Fork(8024, 660, T0, startTicks: 6601));
        var again = table.Attach(Exec(660, 8024, "/usr/bin/sleep"), startTicks: 6600);

        Assert.Equal(seeded.Process, again.Process);
        Assert.Equal(0, table.PidReuses);
    }

    [Fact]
    public void Measured_starts_two_ticks_apart_are_different_processes()
    {
        var table = SeededTable();
        var old = table.Attach(Exec(660, 8024, "/usr/bin/sleep"), startTicks: 6600);

        table.Apply(ProcessLifecycleEvent.Fork(8024, 660, T0, startTicks: 6602));
        var reused = table.Attach(Exec(660, 8024, "/usr/bin/sleep"), startTicks: null);

        Assert.NotEqual(old.Process, reused.Process);
        Assert.Equal(1, table.PidReuses);
    }

    [Fact]
    public void Knows_the_measured_start_only_of_a_live_process_with_that_parent()
    {
        var table = SeededTable();
        table.Apply(ProcessLifecycleEvent.Fork(8024, 660, T0, startTicks: 6600));
        table.Attach(At(T0, 700, 8024, "/usr/bin/expr"), startTicks: null);

        Assert.True(table.KnowsMeasuredStart(660, 8024));
        Assert.False(table.KnowsMeasuredStart(660, 1));
        Assert.False(table.KnowsMeasuredStart(661, 8024));
        Assert.False(table.KnowsMeasuredStart(700, 8024)); // its start was derived from the exec's time
        table.Apply(ProcessLifecycleEvent.Exit(660, T0));
        Assert.False(table.KnowsMeasuredStart(660, 8024));
    }

    [Fact]
    public void Fork_older_than_the_known_process_is_ignored()
    {
        var table = SeededTable();
        var known = table.Attach(Exec(660, 8024, "/usr/bin/sleep"), startTicks: 6600);

        table.Apply(ProcessLifecycleEvent.Fork(8024, 660, T0, startTicks: 6000));
        var again = table.Attach(Exec(660, 8024, "/usr/bin/sleep"), startTicks: 6600);

        Assert.Equal(1, table.StaleForks);
        Assert.Equal(known.Process, again.Process);
    }

    [Fact]
    public void Ended_processes_are_evicted_by_count()
    {
        var table = Table(new ProcessTableOptions { MaxExited = 2 });
        foreach (var pid in new[] { 10, 11, 12 })
        {
            table.Apply(ProcessLifecycleEvent.Fork(1, pid, T0, startTicks: pid));
            table.Apply(ProcessLifecycleEvent.Exit(pid, T0));
        }

        Assert.Equal(2, table.ExitedCount);
        Assert.Equal(1, table.Evicted);
    }

    [Fact]
    public void Ended_processes_are_evicted_by_age_in_event_time()
    {
        var table = Table(new ProcessTableOptions { ExitedRetention = TimeSpan.FromMinutes(1) });
        table.Apply(ProcessLifecycleEvent.Fork(1, 10, T0, startTicks: 10));
        table.Apply(ProcessLifecycleEvent.Fork(10, 11, T0, startTicks: 11));
        table.Apply(ProcessLifecycleEvent.Exit(10, T0));

        var withinRetention = table.Attach(At(T0.AddSeconds(30), 11, 1, "/bin/x"), startTicks: 11);
        table.Attach(At(T0.AddMinutes(2), 20, 1, "/bin/y"), startTicks: 12000);
        var afterEviction = table.Attach(At(T0.AddMinutes(2), 12, 10, "/bin/z"), startTicks: 12001);

        Assert.Equal(new ProcessKey("0a1b2c3d", 10, 10), withinRetention.Parent);
        Assert.Equal(1, table.Evicted);
        Assert.Equal(0, table.ExitedCount);
        Assert.Equal(Provenance.Inferred, afterEviction.Ancestry[0].Provenance);
        Assert.NotEqual(withinRetention.Parent, afterEviction.Parent);
    }

    [Fact]
    public void Child_still_shows_its_evicted_parent_as_the_last_link()
    {
        var table = Table(new ProcessTableOptions { MaxExited = 0 });
        table.Seed([Snap(1, 0, 1, "/sbin/init", "/sbin/init")]);
        table.Apply(ProcessLifecycleEvent.Fork(1, 10, T0, startTicks: 10));
        table.Attach(Exec(10, 1, "/bin/sh", "sh"), startTicks: 10);
        table.Apply(ProcessLifecycleEvent.Fork(10, 11, T0, startTicks: 11));
        table.Apply(ProcessLifecycleEvent.Exit(10, T0));

        var e = table.Attach(Exec(11, 1, "/bin/true"), startTicks: 11);

        var last = Assert.Single(e.Ancestry);
        Assert.Equal(new ProcessKey("0a1b2c3d", 10, 10), last.Key);
        Assert.Equal("/bin/sh", last.Exe);
    }

    [Fact]
    public void Replay_keys_use_the_log_name_and_ticks_since_the_epoch()
    {
        var clock = BootClock.ForReplay("audit.log");
        var table = new ProcessTable(clock);

        var e = table.Attach(At(T0, 42, 1, "/bin/true"), startTicks: null);

        Assert.Equal("audit.log", e.Process.Boot);
        Assert.Equal(T0.ToUnixTimeMilliseconds() / 10, e.Process.StartTicks);
        Assert.Equal(e.Process, ProcessKey.Parse(e.Process.ToString()));
    }

    [Fact]
    public void Chains_are_shared_and_stay_correct_across_a_storm()
    {
        var table = SeededTable();
        table.Attach(Exec(8100, 8024, "/bin/bash", "bash", "esmtp-wrapper"), startTicks: 5100);

        ProcessKey previous = default;
        for (var i = 0; i < 40_000; i++)
        {
            var pid = 10_000 + (i % 20_000);
            var e = table.Attach(At(T0.AddMilliseconds(i), pid, 8100, "/usr/bin/expr", "expr", $"{i}", "+", "1"), startTicks: 6000 + i);
            Assert.Equal([8100, 8024, 1], e.Ancestry.Select(a => a.Pid));
            Assert.NotEqual(previous, e.Process);
            previous = e.Process;
        }

        Assert.Equal(20_000, table.PidReuses);
        Assert.True(table.LiveCount <= 20_004, $"live {table.LiveCount}");
    }

    [Fact]
    public void Siblings_started_under_one_image_share_one_ancestry()
    {
        var table = SeededTable();
        table.Attach(Exec(8100, 8024, "/bin/bash", "bash", "esmtp-wrapper"), startTicks: 5100);

        var first = table.Attach(Exec(9001, 8100, "/usr/bin/expr", "expr", "1"), startTicks: 6001);
        var second = table.Attach(Exec(9002, 8100, "/usr/bin/expr", "expr", "2"), startTicks: 6002);

        Assert.Same(first.Ancestry, second.Ancestry);
        Assert.Equal([8100, 8024, 1], second.Ancestry.Select(a => a.Pid));
        Assert.Equal(["/bin/bash", "/usr/bin/bash", "/usr/lib/systemd/systemd"], second.Ancestry.Select(a => a.Exe));
        Assert.Equal(new ProcessKey("0a1b2c3d", 8100, 5100), second.Parent);
    }

    [Fact]
    public void Siblings_started_before_and_after_their_parent_execd_again_show_each_image()
    {
        var table = SeededTable();
        table.Attach(Exec(600, 8024, "/bin/sh", "sh", "wrapper.sh"), startTicks: 6000);
        var early = table.Attach(Exec(601, 600, "/usr/bin/expr", "expr", "1"), startTicks: 6001);
        table.Apply(ProcessLifecycleEvent.Fork(600, 602, T0, startTicks: 6002));
        table.Attach(Exec(600, 8024, "/usr/bin/esmtp", "esmtp", "-t"), startTicks: 6000);

        var late = table.Attach(Exec(603, 600, "/usr/bin/expr", "expr", "3"), startTicks: 6003);
        var forkedEarly = table.Attach(Exec(602, 600, "/usr/bin/expr", "expr", "2"), startTicks: 6002);
        var later = table.Attach(Exec(604, 600, "/usr/bin/expr", "expr", "4"), startTicks: 6004);

        Assert.Equal("/bin/sh", early.Ancestry[0].Exe);
        Assert.Equal("/bin/sh", forkedEarly.Ancestry[0].Exe);
        Assert.Equal("/usr/bin/esmtp", late.Ancestry[0].Exe);
        Assert.Equal("/usr/bin/esmtp", later.Ancestry[0].Exe);
        Assert.All([early, forkedEarly, late, later], e => Assert.Equal([600, 8024, 1], e.Ancestry.Select(a => a.Pid)));
        Assert.NotSame(early.Ancestry, late.Ancestry);
    }

    [Fact]
    public void A_child_whose_key_is_in_its_siblings_ancestry_has_the_loop_cut_and_counted()
    {
        // An ended process forgotten at once frees its key; bad data gives that key to a grandchild.
        var table = Table(new ProcessTableOptions { MaxExited = 0 });
        table.Seed([Snap(1, 0, 1, "/sbin/init", "/sbin/init")]);
        table.Apply(ProcessLifecycleEvent.Fork(1, 10, T0, startTicks: 10));
        table.Attach(Exec(10, 1, "/bin/sh"), startTicks: 10);
        table.Apply(ProcessLifecycleEvent.Fork(10, 11, T0, startTicks: 11));
        table.Attach(Exec(11, 10, "/bin/bash"), startTicks: 11);
        table.Apply(ProcessLifecycleEvent.Exit(10, T0));
        var sibling = table.Attach(Exec(12, 11, "/usr/bin/expr"), startTicks: 12);
        table.Apply(ProcessLifecycleEvent.Fork(11, 10, T0, startTicks: 10));

        var looped = table.Attach(Exec(10, 11, "/usr/bin/expr"), startTicks: 10);
        var after = table.Attach(Exec(13, 11, "/usr/bin/expr"), startTicks: 13);

        Assert.Equal(new ProcessKey("0a1b2c3d", 10, 10), looped.Process);
        Assert.Equal([11], looped.Ancestry.Select(a => a.Pid));
        Assert.Equal([11, 10, 1], sibling.Ancestry.Select(a => a.Pid));
        Assert.Equal([11, 10, 1], after.Ancestry.Select(a => a.Pid));
        Assert.Equal(1, table.CyclesCut);
    }

    [Fact]
    public void Eviction_at_the_bound_forgets_the_process_that_ended_first()
    {
        var table = Table(new ProcessTableOptions { MaxExited = 2 });
        foreach (var pid in new[] { 10, 11, 12 })
        {
            table.Apply(ProcessLifecycleEvent.Fork(1, pid, T0, startTicks: pid));
            table.Apply(ProcessLifecycleEvent.Exit(pid, T0.AddMilliseconds(pid)));
        }

        var children = new[] { 10, 11, 12 }.Select(pid => table.Attach(At(T0.AddSeconds(1), pid + 100, pid, "/bin/true"), startTicks: pid + 100)).ToArray();

        Assert.Equal(1, table.Evicted);
        Assert.NotEqual(new ProcessKey("0a1b2c3d", 10, 10), children[0].Parent);
        Assert.Equal(new ProcessKey("0a1b2c3d", 11, 11), children[1].Parent);
        Assert.Equal(new ProcessKey("0a1b2c3d", 12, 12), children[2].Parent);
    }

    [Fact]
    public void Ending_a_live_process_by_start_leaves_another_start_under_that_pid_alone()
    {
        var table = SeededTable();
        var live = table.Attach(Exec(600, 8024, "/bin/sh"), startTicks: 6000);

        Assert.False(table.EndIfLive(600, 5990, T0));
        Assert.True(table.TryGetLiveKey(600, out var stillLive));
        Assert.True(table.EndIfLive(600, 6000, T0.AddSeconds(1)));
        Assert.False(table.EndIfLive(600, 6000, T0.AddSeconds(2)));
        var lateChild = table.Attach(At(T0.AddSeconds(3), 601, 600, "/bin/true"), startTicks: 6001);

        Assert.Equal(live.Process, stillLive);
        Assert.False(table.IsKnown(600));
        Assert.Equal(1, table.ExitedCount);
        Assert.Equal(live.Process, lateChild.Parent);
    }

    [Fact]
    public void Live_start_read_after_the_pid_was_reused_again_is_ignored()
    {
        var table = SeededTable();
        var tooLate = Clock.ToTicks(T0.AddSeconds(30));

        var e = table.Attach(At(T0, 500, 8024, "/usr/bin/expr"), startTicks: tooLate);

        Assert.Equal(Clock.ToTicks(T0), e.Process.StartTicks);
        Assert.Equal(1, table.StaleStartReads);
    }
}
