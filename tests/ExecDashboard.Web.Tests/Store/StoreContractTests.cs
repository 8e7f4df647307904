using System.Text.Json;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>
/// What every store engine must do, run against each of them (<see cref="SqliteStoreContractTests"/>,
/// <see cref="PostgresStoreContractTests"/>): identity and idempotency, sessions, queries,
/// migrations and retention. Each test gets a fresh, empty database.
/// </summary>
public abstract class StoreContractTests : IDisposable
{
    private protected static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IStoreEngine> _opened = [];

    /// <summary>Opens the engine on this test's database (again, when called a second time).</summary>
    private protected abstract IStoreEngine OpenEngine();

    private protected IStoreEngine Open()
    {
        var engine = OpenEngine();
        _opened.Add(engine);
        return engine;
    }

    [Fact]
    public void A_resent_batch_is_stored_once()
    {
        var store = Open();
        var live = LiveSession(store);
        var batch = Enumerable.Range(1, 5).Select(i => TestEvents.Expr((ulong)i, Now.AddSeconds(i))).ToArray();

        var first = store.StoreCollectorBatch(Batch(live, 1, batch));
        var again = store.StoreCollectorBatch(Batch(live, 1, batch));

        Assert.Equal(batch.Select(e => e.Exec.Serial), first.Select(s => s.Event.Exec.Serial));
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.Id < p.Second.Id), "Ids ascend in arrival order.");
        Assert.Empty(again);
        Assert.Equal(5, store.CountEvents());
    }

    [Fact]
    public void Host_counts_filters_and_sessions_narrow_to_one_host()
    {
        var store = Open();
        var live = LiveSession(store);
        var other = Enumerable.Range(1, 2).Select(i => TestEvents.Child("/usr/bin/true", "true")
            .Key(new ProcessKey("0a0b0c0d", 500 + i, 3000 + i)).Serial((ulong)(100 + i)).At(Now.AddSeconds(i)).Host("other-host").Build()).ToArray();
        store.StoreCollectorBatch(Batch(live, 1, [.. Enumerable.Range(1, 3).Select(i => TestEvents.Expr((ulong)i, Now.AddSeconds(i))), .. other]));
        var imported = Import(store, "other only", [TestEvents.Child("/usr/bin/id", "id").Key(new ProcessKey("0a0b0c0d", 900, 9000)).Serial(900).At(Now).Host("other-host").Build()]);

        Assert.Equal([new HostCount("other-host", 3), new HostCount(TestEvents.Host, 3)], store.ReadHostCounts(null));
        Assert.Equal([new HostCount("other-host", 1)], store.ReadHostCounts(imported.Id));
        Assert.Equal([102UL, 101UL], store.ReadEvents(new ExecFilter { Host = "other-host", SessionId = live.Id }, 10, null).Select(e => e.Event.Exec.Serial));
        Assert.Equal(new HashSet<long> { live.Id }, store.ReadSessionIdsWithHost(TestEvents.Host));
        Assert.Equal(new HashSet<long> { live.Id, imported.Id }, store.ReadSessionIdsWithHost("other-host"));
    }

    [Fact]
    public void Process_ends_are_stored_once_even_before_their_exec_and_join_their_process()
    {
        var store = Open();
        var live = LiveSession(store);
        var first = TestEvents.Expr(1, Now);
        var second = TestEvents.Expr(2, Now.AddSeconds(1));
        var killed = new ProcessEnd { Process = second.Process, Started = Now.AddSeconds(1), Time = Now.AddSeconds(3), Status = ExitStatus.Killed(9) };
        var exited = new ProcessEnd { Process = first.Process, Started = Now, Time = Now.AddMilliseconds(1500), Status = ExitStatus.Exited(3) };

        // The end of the second process overtakes its exec; the first one's end is sent twice.
        store.StoreCollectorBatch(Batch(live, 1, [first], ends: [killed]));
        store.StoreCollectorBatch(Batch(live, 2, [second], ends: [exited]));
        store.StoreCollectorBatch(Batch(live, 2, [second], ends: [exited]));

        var ends = store.ReadEnds([first.Process, second.Process, new ProcessKey(TestEvents.Boot, 4242, 1)]);
        Assert.Equal(2, ends.Count);
        Assert.Equal(ExitStatus.Exited(3), ends[first.Process].Status);
        Assert.Equal(ExitStatus.Killed(9), ends[second.Process].Status);
        Assert.Equal(TimeSpan.FromSeconds(2), ends[second.Process].Duration);
        Assert.Equal(new[] { first.Process, second.Process }.ToHashSet(), store.ReadSessionEnds(live.Id).Keys.ToHashSet());
        Assert.True(store.BootReportsEnds(TestEvents.Boot));
        Assert.False(store.BootReportsEnds("0a0b0c0d"));
    }

    [Fact]
    public void Lifetimes_tell_ended_running_and_unknown_apart_across_boots_with_and_without_ends()
    {
        var store = Open();
        var live = LiveSession(store);
        var ended = TestEvents.Expr(1, Now);
        var running = TestEvents.Expr(2, Now.AddSeconds(1));
        var elsewhere = TestEvents.Child("/usr/bin/true", "true").Key(new ProcessKey("0a0b0c0d", 501, 3001)).Serial(101).At(Now.AddSeconds(2)).Build();
        var end = new ProcessEnd { Process = ended.Process, Started = Now, Time = Now.AddSeconds(1), Status = ExitStatus.Exited(3) };
        store.StoreCollectorBatch(Batch(live, 1, [ended, running, elsewhere], ends: [end]));
        var ends = new ProcessEnds(store);

        var processes = ends.WithLifetimes([.. new[] { ended, running, elsewhere }.Select(e => store.ReadProcess(e.Process)!)]);
        var byKey = ends.Lifetimes([ended.Process, running.Process, elsewhere.Process, ProcessKey.None]);

        Assert.Equal([LifetimeState.Ended, LifetimeState.Running, LifetimeState.Unknown], processes.Select(p => p.Lifetime.State));
        Assert.Equal(end, processes[0].Lifetime.End);
        Assert.Equal([LifetimeState.Ended, LifetimeState.Running, LifetimeState.Unknown, LifetimeState.Unknown],
            new[] { ended.Process, running.Process, elsewhere.Process, ProcessKey.None }.Select(k => byKey[k].State));
    }

    [Fact]
    public void Imported_ends_join_their_processes_and_one_already_stored_live_stays_as_it_was()
    {
        var store = Open();
        var live = LiveSession(store);
        var first = TestEvents.Expr(1, Now);
        var second = TestEvents.Expr(2, Now.AddSeconds(1));
        var liveEnd = new ProcessEnd { Process = first.Process, Started = Now, Time = Now.AddMilliseconds(1500), Status = ExitStatus.Exited(3) };
        store.StoreCollectorBatch(Batch(live, 1, [first], ends: [liveEnd]));
        var importedEnd = new ProcessEnd { Process = second.Process, Started = Now.AddSeconds(1), Time = Now.AddSeconds(4), Status = ExitStatus.Killed(11, coreDumped: true) };
        var conflicting = liveEnd with { Status = ExitStatus.Exited(7) };

        var imported = Import(store, "with ends", [first, second], new SessionExitItem(0, importedEnd), new SessionExitItem(1, conflicting));

        var ends = store.ReadSessionEnds(imported.Id);
        Assert.Equal(importedEnd, ends[second.Process]);
        Assert.Equal(liveEnd, ends[first.Process]);
    }

    [Fact]
    public void An_event_twice_in_one_batch_is_stored_once_and_a_new_one_beside_it_is_stored()
    {
        var store = Open();
        var live = LiveSession(store);
        var e = TestEvents.Expr(7, Now);
        var stored = store.StoreCollectorBatch(Batch(live, 1, [e, e, TestEvents.Expr(8, Now)]));
        Assert.Equal([7UL, 8UL], stored.Select(s => s.Event.Exec.Serial));
        Assert.Equal(2, store.CountEvents());
    }

    [Fact]
    public void A_batch_mixing_stored_and_new_events_returns_the_new_ones_with_the_ids_they_are_read_back_under()
    {
        var store = Open();
        var live = LiveSession(store);
        var events = Enumerable.Range(1, 200).Select(i => TestEvents.Expr((ulong)i, Now.AddMilliseconds(i))).ToArray();
        store.StoreCollectorBatch(Batch(live, 1, [.. events.Where((_, i) => i % 3 == 0)]));

        // More than one multi-row statement's worth, the stored ones spread among the new.
        var stored = store.StoreCollectorBatch(Batch(live, 2, events));

        var fresh = events.Where((_, i) => i % 3 != 0).ToArray();
        Assert.Equal(fresh.Select(e => e.Exec.Serial), stored.Select(s => s.Event.Exec.Serial));
        var readBack = store.ReadEvents(ExecFilter.None, 500, null).ToDictionary(s => s.Id, s => s.Event.Exec.Serial);
        Assert.All(stored, s => Assert.Equal(s.Event.Exec.Serial, readBack[s.Id]));
        Assert.Equal(200, store.CountEvents());
    }

    [Fact]
    public void An_import_of_events_already_stored_live_is_a_session_of_its_own()
    {
        var store = Open();
        var live = LiveSession(store);
        var events = Enumerable.Range(1, 3).Select(i => TestEvents.Expr((ulong)i, Now.AddSeconds(i))).ToArray();
        store.StoreCollectorBatch(Batch(live, 1, events));

        var imported = Import(store, "again", events);

        Assert.Equal(3, store.ReadSession(imported.Id)!.EventCount);
        Assert.Equal(6, store.CountEvents());
    }

    [Fact]
    public void Growth_of_a_collectors_loss_counters_is_recorded_once_as_a_gap()
    {
        var store = Open();
        var live = LiveSession(store);
        store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now)], serialGaps: 5));
        store.StoreCollectorBatch(Batch(live, 2, [TestEvents.Expr(2, Now)], serialGaps: 5));
        store.StoreCollectorBatch(Batch(live, 3, [TestEvents.Expr(3, Now)], serialGaps: 8, kernelLost: 2));

        var gaps = store.ReadGaps(live.Id);
        Assert.Equal([(5L, 0L), (3L, 2L)], gaps.Select(g => (g.SerialGaps, g.KernelLost)));
        Assert.All(gaps, g => Assert.Equal("collector-1", g.CollectorId));
    }

    [Fact]
    public void An_import_is_hidden_until_it_finishes()
    {
        var store = Open();
        var session = store.CreateSession("import", string.Empty, "import", Now, importing: true);
        var stored = store.AppendImportChunk(session.Id, [.. Items(TestEvents.Expr(1, Now), TestEvents.Expr(2, Now.AddSeconds(1)))]);

        Assert.Equal(2, stored);
        Assert.Empty(store.ReadSessions());
        Assert.Null(store.ReadSession(session.Id));
        Assert.Empty(store.ReadEvents(ExecFilter.None, 100, null));
        Assert.Equal(0, store.CountEvents());
        Assert.Equal([session.Id], store.ReadUnfinishedImports());

        store.FinishImport(session.Id, "named", "host-a", Now, Now.AddSeconds(1));

        var finished = Assert.Single(store.ReadSessions());
        Assert.Equal(("named", "host-a", 2L, Now.AddSeconds(1)), (finished.Name, finished.Host, finished.EventCount, finished.Ended!.Value));
        Assert.Empty(store.ReadUnfinishedImports());
        Assert.Equal(2, store.ReadEvents(ExecFilter.None, 100, null).Count);
    }

    [Fact]
    public void A_removed_import_leaves_nothing_behind()
    {
        var store = Open();
        var session = store.CreateSession("import", string.Empty, "import", Now, importing: true);
        var exec = TestEvents.Expr(1, Now);
        store.AppendImportChunk(session.Id, [.. Items(exec), Gap(Now), new SessionExitItem(0, new ProcessEnd { Process = exec.Process, Started = Now, Time = Now.AddSeconds(1), Status = ExitStatus.Exited(0) })]);
        Assert.Single(store.ReadEnds([exec.Process]));

        store.RemoveImport(session.Id);

        Assert.Empty(store.ReadEnds([exec.Process]));

        Assert.Empty(store.ReadUnfinishedImports());
        Assert.Empty(store.ReadGaps(session.Id));
        store.FinishImport(session.Id, "too late", string.Empty, Now, Now);
        Assert.Empty(store.ReadSessions());
        Assert.Equal(0, store.CountEvents());
    }

    [Fact]
    public void A_session_is_renamed_and_deleted_with_its_events_and_gaps()
    {
        var store = Open();
        var live = LiveSession(store);
        store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now)], serialGaps: 1));
        var other = Import(store, "other", [TestEvents.Expr(2, Now)]);

        Assert.True(store.RenameSession(live.Id, "renamed"));
        Assert.Equal("renamed", store.ReadSession(live.Id)!.Name);
        Assert.True(store.DeleteSession(live.Id));

        Assert.Null(store.ReadSession(live.Id));
        Assert.False(store.DeleteSession(live.Id));
        Assert.False(store.RenameSession(live.Id, "gone"));
        Assert.Empty(store.ReadGaps(live.Id));
        Assert.Equal([other.Id], store.ReadSessions().Select(s => s.Id));
        Assert.Equal([2UL], store.ReadEvents(ExecFilter.None, 10, null).Select(e => e.Event.Exec.Serial));

        // Processes are facts other sessions share: deleting a session keeps them.
        Assert.NotNull(store.ReadProcess(TestEvents.Expr(1).Process));
    }

    [Fact]
    public void A_session_left_open_ends_at_its_last_event()
    {
        var store = Open();
        var live = LiveSession(store);
        var empty = store.CreateSession("empty", string.Empty, "live", Now, importing: false);
        store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now.AddMinutes(1)), TestEvents.Expr(2, Now.AddMinutes(2))]));

        store.CloseOpenSessions();

        Assert.Equal(Now.AddMinutes(2), store.ReadSession(live.Id)!.Ended);
        Assert.Equal(Now, store.ReadSession(empty.Id)!.Ended);
    }

    [Fact]
    public void Events_filter_by_pid_program_arguments_uid_and_session_newest_first_in_pages()
    {
        var store = Open();
        var live = LiveSession(store);
        var events = Enumerable.Range(1, 20).Select(i => TestEvents.Expr((ulong)i, Now.AddSeconds(i))).ToList();
        events.Add(TestEvents.Child("/usr/bin/Sed", "sed", "-n", "s/Ünïcode/x/p").Key(new ProcessKey(TestEvents.Boot, 30_000, 7)).Uid(1000).Serial(100).At(Now).Build());
        store.StoreCollectorBatch(Batch(live, 1, events));
        var imported = Import(store, "import", [TestEvents.Expr(500, Now)]);

        var newest = store.ReadEvents(ExecFilter.None, 5, null);
        Assert.Equal([500UL, 100, 20, 19, 18], newest.Select(e => e.Event.Exec.Serial));
        var next = store.ReadEvents(ExecFilter.None, 3, newest[^1].Id);
        Assert.Equal([17UL, 16, 15], next.Select(e => e.Event.Exec.Serial));

        Assert.Equal([12UL], Serials(store, new ExecFilter { Pid = TestEvents.Expr(12).Exec.Pid }));
        Assert.Equal([100UL], Serials(store, new ExecFilter { Exe = "SED" }));
        Assert.Equal([100UL], Serials(store, new ExecFilter { Uid = 1000 }));
        Assert.Equal([100UL], Serials(store, new ExecFilter { ArgvText = "Ünïcode" }));
        Assert.Equal([13UL], Serials(store, new ExecFilter { ArgvText = "13", Exe = "expr" }));
        Assert.Empty(Serials(store, new ExecFilter { ArgvText = "13 +" }));
        Assert.Equal([500UL], Serials(store, new ExecFilter { SessionId = imported.Id }));

        // Every field reads back as it was written.
        var sed = Assert.Single(store.ReadEvents(new ExecFilter { Exe = "sed" }, 10, null)).Event;
        Assert.Equal(events[^1].Exec, sed.Exec with { Argv = events[^1].Exec.Argv });
        Assert.Equal(events[^1].Exec.Argv, sed.Exec.Argv);
        Assert.Equal(events[^1].Ancestry, sed.Ancestry, AncestorComparer.Instance);
        Assert.Equal((events[^1].Process, events[^1].Parent), (sed.Process, sed.Parent));
    }

    [Fact]
    public void A_process_has_its_ancestry_descendants_and_execs()
    {
        var store = Open();
        var live = LiveSession(store);
        var expr = TestEvents.Expr(1, Now);
        var grandchild = ExecBuilder.Of("/usr/bin/cat", "cat", "x").Under(expr.AsAncestor(), TestEvents.Sendmail, TestEvents.Systemd)
            .Host(TestEvents.Host).Key(new ProcessKey(TestEvents.Boot, 40_000, 9)).Serial(2).At(Now.AddSeconds(1)).Build();
        store.StoreCollectorBatch(Batch(live, 1, [expr, grandchild, TestEvents.Expr(3, Now.AddSeconds(2))]));

        var process = store.ReadProcess(expr.Process)!;
        Assert.Equal(("/usr/bin/expr", Provenance.ExecSeen, TestEvents.Sendmail.Key), (process.Exe, process.Provenance, process.Parent));
        Assert.Equal(expr.Exec.Argv, process.Argv);
        Assert.Null(store.ReadProcess(new ProcessKey(TestEvents.Boot, 1, 1)));

        var ancestry = store.ReadAncestry(grandchild.Process, 256);
        Assert.Equal([expr.Process, TestEvents.Sendmail.Key, TestEvents.Systemd.Key], ancestry.Select(p => p.Key));
        Assert.Equal("/usr/bin/bash", ancestry[1].Exe);

        var below = store.ReadDescendants(TestEvents.Sendmail.Key, 64, 100);
        Assert.Equal([expr.Process, TestEvents.Expr(3).Process, grandchild.Process], below.Select(p => p.Key));
        Assert.Equal([expr.Process], store.ReadDescendants(TestEvents.Sendmail.Key, 64, 1).Select(p => p.Key));

        Assert.Equal([2UL, 1UL], Serials(store, new ExecFilter { DescendantOf = expr.Process }));
        Assert.Equal([3UL, 2, 1], Serials(store, new ExecFilter { DescendantOf = TestEvents.Sendmail.Key }));

        Assert.Equal([grandchild.Process], store.FindProcesses(null, "CAT", null, 10).Select(p => p.Key));
        Assert.Equal([expr.Process], store.FindProcesses(expr.Exec.Pid, null, live.Id, 10).Select(p => p.Key));
        Assert.Contains(store.FindProcesses(null, null, live.Id, 100), p => p.Key == TestEvents.Sendmail.Key);
    }

    [Fact]
    public void Texts_that_change_from_one_event_to_the_next_are_stored_with_each_event()
    {
        var store = Open();
        var live = LiveSession(store);
        ExecEvent Event(ulong serial, string host, string cwd, string comm) =>
            TestEvents.Child("/usr/bin/" + comm, comm).Key(new ProcessKey(TestEvents.Boot, 60_000 + (int)serial, 7)).Serial(serial)
                .At(Now.AddSeconds(serial)).Host(host).Cwd(cwd).Comm(comm).Build();

        // Each column repeats, changes back and forth, and carries over into the next batch.
        var first = new[] { Event(1, "a", "/a", "ls"), Event(2, "a", "/a", "ls"), Event(3, "b", "/b", "cat"), Event(4, "a", "/a", "ls") };
        var second = new[] { Event(5, "a", "/b", "ls"), Event(6, "b", "/b", "cat") };
        var returned = store.StoreCollectorBatch(Batch(live, 1, first)).Concat(store.StoreCollectorBatch(Batch(live, 2, second)));

        var expected = first.Concat(second).Select(e => (e.Exec.Serial, e.Exec.Host, e.Exec.Cwd, e.Exec.Comm, e.Exec.Exe)).ToArray();
        Assert.Equal(expected, returned.Select(s => (s.Event.Exec.Serial, s.Event.Exec.Host, s.Event.Exec.Cwd, s.Event.Exec.Comm, s.Event.Exec.Exe)));
        Assert.Equal(expected, store.ReadEvents(new ExecFilter { SessionId = live.Id }, 10, null).Reverse()
            .Select(s => (s.Event.Exec.Serial, s.Event.Exec.Host, s.Event.Exec.Cwd, s.Event.Exec.Comm, s.Event.Exec.Exe)));
    }

    [Fact]
    public void A_failed_exec_proves_the_process_but_keeps_its_image()
    {
        var store = Open();
        var live = LiveSession(store);
        var key = new ProcessKey(TestEvents.Boot, 50_000, 3);
        var ran = TestEvents.Child("/usr/bin/make", "make").Key(key).Serial(1).At(Now).Build();
        var failed = TestEvents.Child("/usr/bin/nosuch", "nosuch").Key(key).Serial(2).At(Now.AddSeconds(1)).Failed().Build();
        store.StoreCollectorBatch(Batch(live, 1, [ran]));
        store.StoreCollectorBatch(Batch(live, 2, [failed]));

        var process = store.ReadProcess(key)!;
        Assert.Equal(("/usr/bin/make", Provenance.ExecSeen, Now.AddSeconds(1)), (process.Exe, process.Provenance, process.LastSeen));
        var stored = store.ReadEvents(new ExecFilter { Pid = 50_000 }, 10, null);
        Assert.Equal([(false, -2L), (true, 0L)], stored.Select(e => (e.Event.Exec.Success, e.Event.Exec.Exit)));
    }

    [Fact]
    public void A_process_stored_before_a_restart_that_execs_again_is_merged_not_stored_twice()
    {
        var store = Open();
        var live = LiveSession(store);
        var key = new ProcessKey(TestEvents.Boot, 51_000, 3);
        store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Child("/usr/bin/make", "make").Key(key).Serial(1).At(Now).Build()]));
        store.Dispose();

        // Reopened: nothing in memory says the process exists; a new one comes in the same batch.
        var again = Open();
        var other = new ProcessKey(TestEvents.Boot, 51_001, 4);
        again.StoreCollectorBatch(Batch(live, 2, [
            TestEvents.Child("/usr/bin/cc", "cc").Key(key).Serial(2).At(Now.AddSeconds(1)).Build(),
            TestEvents.Child("/usr/bin/ld", "ld").Key(other).Serial(3).At(Now.AddSeconds(2)).Build(),
        ]));

        var process = again.ReadProcess(key)!;
        Assert.Equal(("/usr/bin/cc", Now, Now.AddSeconds(1)), (process.Exe, process.FirstSeen, process.LastSeen));
        Assert.Single(again.FindProcesses(51_000, null, null, 10));
        Assert.Equal("/usr/bin/ld", again.ReadProcess(other)!.Exe);
        Assert.Equal([2UL, 1UL], again.ReadEvents(new ExecFilter { Pid = 51_000 }, 10, null).Select(e => e.Event.Exec.Serial));
    }

    [Fact]
    public async Task A_sessions_events_processes_and_gaps_stream_in_order_for_export()
    {
        var store = Open();
        var events = Enumerable.Range(1, 4).Select(i => TestEvents.Expr((ulong)i, Now.AddSeconds(i))).ToArray();
        var session = Import(store, "export", events, Gap(Now));

        var streamed = await store.StreamSessionEvents(session.Id, CancellationToken.None).ToListAsync();
        Assert.Equal([1UL, 2, 3, 4], streamed.Select(e => e.Event.Exec.Serial));
        var processes = await store.StreamSessionProcesses(session.Id, CancellationToken.None).ToListAsync();
        Assert.Equal(
            events.Select(e => e.Process.ToString()).Append(TestEvents.Sendmail.Key.ToString()).Order().ToArray(),
            processes.Select(p => p.Key.ToString()).Order().ToArray());
        Assert.Equal([("collector-x", 4L)], store.ReadGaps(session.Id).Select(g => (g.CollectorId, g.SerialGaps)));
    }

    [Fact]
    public async Task A_sessions_export_is_what_the_contract_serializer_writes_for_its_events_and_processes_with_their_ends()
    {
        var store = Open();
        var shapes = AdmittedShapes.All(1, Now).Select(s => s.Event).ToArray();
        var (first, second) = (TestEvents.Expr(900, Now.AddSeconds(1)), TestEvents.Expr(901, Now.AddSeconds(2)));
        var killed = new ProcessEnd { Process = second.Process, Started = Now.AddSeconds(2), Time = Now.AddSeconds(4), Status = ExitStatus.Killed(11, coreDumped: true) };
        var exited = new ProcessEnd { Process = first.Process, Started = Now.AddSeconds(1), Time = Now.AddSeconds(3), Status = ExitStatus.Exited(3) };
        var session = Import(store, "shapes", [.. shapes, first, second], new SessionExitItem(0, killed), new SessionExitItem(1, exited));
        var events = await SessionArrays.TextOfAsync(SessionJsonArrays.Events(store.StreamSessionEvents(session.Id, CancellationToken.None).Select(e => e.Event)));
        var processes = await SessionArrays.TextOfAsync(SessionJsonArrays.Processes(store.StreamSessionProcesses(session.Id, CancellationToken.None)));

        // Asked for a byte at a time, a little more, and as the session writer asks.
        foreach (var piece in new[] { 1, 100, SessionWriter.FlushThreshold })
        {
            await using var export = store.ExportSession(session.Id);
            Assert.Equal(events, await SessionArrays.TextAsync(export.Events, piece));

            // In the order of first sight; PostgreSQL leaves processes first seen at once in any order.
            var exported = await SessionArrays.TextAsync(export.Processes, piece);
            Assert.Equal(Elements(processes).Order(StringComparer.Ordinal), Elements(exported).Order(StringComparer.Ordinal));
            var firstSeen = JsonDocument.Parse(exported).RootElement.EnumerateArray().Select(p => p.GetProperty("firstSeen").GetDateTimeOffset()).ToArray();
            Assert.Equal(firstSeen.Order(), firstSeen);

            Assert.Equal([exited, killed], (await export.EndsAsync()).OrderBy(e => e.Time));
        }

        Assert.Equal(shapes.Length + 2, Elements(events).Length);
    }

    [Fact]
    public async Task A_session_without_events_exports_empty_arrays()
    {
        var store = Open();
        var session = Import(store, "empty", []);

        await using var export = store.ExportSession(session.Id);
        Assert.Equal("[]", await SessionArrays.TextAsync(export.Events, SessionWriter.FlushThreshold));
        Assert.Equal("[]", await SessionArrays.TextAsync(export.Processes, SessionWriter.FlushThreshold));
        Assert.Empty(await export.EndsAsync());
    }

    [Fact]
    public void Only_live_events_refill_the_hot_window()
    {
        var store = Open();
        var live = LiveSession(store);
        store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now), TestEvents.Expr(2, Now)]));
        Import(store, "import", [TestEvents.Expr(3, Now)]);

        Assert.Equal([2UL, 1UL], store.ReadRecentLiveEvents(10).Select(e => e.Event.Exec.Serial));
        Assert.Equal([2UL], store.ReadRecentLiveEvents(1).Select(e => e.Event.Exec.Serial));
    }

    [Fact]
    public void Reopening_a_database_keeps_its_schema_version_and_data()
    {
        var store = Open();
        var live = LiveSession(store);
        store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now)]));
        var version = store.SchemaVersion;
        store.Dispose();

        var again = Open();

        Assert.Equal(version, again.SchemaVersion);
        Assert.Equal(1, again.CountEvents());
        Assert.Empty(again.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now)])));
    }

    [Fact]
    public void Retention_removes_old_events_and_the_sessions_they_emptied()
    {
        var store = Open();
        var old = store.CreateSession("old", string.Empty, "live", Now.AddDays(-10));
        store.StoreCollectorBatch(Batch(old, 1, [TestEvents.Expr(1, Now.AddDays(-10)), TestEvents.Expr(2, Now.AddDays(-9))], serialGaps: 1, at: Now.AddDays(-9)));
        store.EndSession(old.Id, Now.AddDays(-9));
        var recent = store.CreateSession("recent", string.Empty, "live", Now.AddDays(-1));
        store.StoreCollectorBatch(Batch(recent, 2, [TestEvents.Expr(3, Now.AddDays(-1)), TestEvents.Expr(4, Now)]));
        var importing = store.CreateSession("importing", string.Empty, "import", Now, importing: true);
        store.AppendImportChunk(importing.Id, [.. Items(TestEvents.Expr(5, Now.AddDays(-20)))]);

        var removed = store.RemoveOlderThan(Now.AddDays(-5));

        Assert.Equal(new RetentionResult(2, 1), removed);
        Assert.Equal([recent.Id], store.ReadSessions().Select(s => s.Id));
        Assert.Equal([4UL, 3UL], store.ReadEvents(ExecFilter.None, 10, null).Select(e => e.Event.Exec.Serial));
        Assert.Empty(store.ReadGaps(old.Id));

        // An import in progress is left whole: it is finished or removed as one.
        store.FinishImport(importing.Id, "importing", string.Empty, Now.AddDays(-20), Now.AddDays(-20));
        Assert.Equal(1, store.ReadSession(importing.Id)!.EventCount);
        Assert.Equal(new RetentionResult(0, 0), store.RemoveOlderThan(Now.AddDays(-30)));
    }

    public void Dispose()
    {
        foreach (var engine in _opened)
        {
            engine.Dispose();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }

    private protected virtual void Cleanup()
    {
    }

    private protected static SessionInfo LiveSession(IStoreEngine store) => store.CreateSession("live", TestEvents.Host, "live", Now);

    private protected static CollectorBatchWrite Batch(SessionInfo session, long seq, IReadOnlyList<ExecEvent> events, long serialGaps = 0, long kernelLost = 0, DateTimeOffset? at = null, IReadOnlyList<ProcessEnd>? ends = null) =>
        new(session.Id, "collector-1", TestEvents.Host, seq, serialGaps, kernelLost, at ?? Now, events, ends ?? []);

    private static SessionInfo Import(IStoreEngine store, string name, IReadOnlyList<ExecEvent> events, params SessionItem[] more)
    {
        var session = store.CreateSession(name, string.Empty, "import", Now, importing: true);
        store.AppendImportChunk(session.Id, [.. Items([.. events]), .. more]);
        store.FinishImport(session.Id, name, string.Empty, Now, Now);
        return session;
    }

    private static IEnumerable<SessionItem> Items(params ExecEvent[] events) => events.Select((e, i) => new SessionEventItem(i, e));

    private static SessionGapItem Gap(DateTimeOffset time) =>
        new(0, new SessionGap { Kind = SessionGapKind.SerialGap, Time = time, Count = 4, Host = "collector-x" });

    private static string[] Elements(string array) =>
        [.. JsonDocument.Parse(array).RootElement.EnumerateArray().Select(e => e.GetRawText())];

    private static ulong[] Serials(IStoreEngine store, ExecFilter filter) =>
        [.. store.ReadEvents(filter, 100, null).Select(e => e.Event.Exec.Serial)];

    /// <summary>Ancestors compare by content (their argument lists are arrays).</summary>
    private sealed class AncestorComparer : IEqualityComparer<Ancestor>
    {
        public static readonly AncestorComparer Instance = new();

        public bool Equals(Ancestor? x, Ancestor? y) =>
            x is not null && y is not null && x.Key == y.Key && x.Pid == y.Pid && x.Exe == y.Exe && x.Provenance == y.Provenance && x.Argv.SequenceEqual(y.Argv);

        public int GetHashCode(Ancestor obj) => obj.Key.GetHashCode();
    }
}
