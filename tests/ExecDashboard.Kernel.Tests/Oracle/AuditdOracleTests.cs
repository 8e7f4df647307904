using System.Text;
using ExecDashboard.Kernel.Tests.Collector;
using ExecDashboard.TestSupport;
using Xunit.Abstractions;

namespace ExecDashboard.Kernel.Tests.Oracle;

/// <summary>
/// Debian's auditd as the oracle: it records the same workload as the collector, then
/// <c>ausearch -i</c> decodes its log independently of our parser.
/// </summary>
public sealed class AuditdOracleTests(ITestOutputHelper output)
{
    private const string OracleKey = "execdash-oracle";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Our_reading_of_auditds_log_agrees_with_ausearch_and_the_netlink_source_beside_auditd_sees_the_same_execs()
    {
        using var kernel = KernelAuditLock.Acquire();
        var before = AuditState.Read();
        var saved = KernelAuditState.Capture();
        using var workload = ExecWorkload.Create();
        var rules = Path.Combine(workload.Directory, "oracle.rules");

        // The deploy rules file, under a key of its own so it cannot be mistaken for the collector's rules.
        await File.WriteAllTextAsync(rules, (await File.ReadAllTextAsync(RepositoryPaths.AuditRules)).Replace("-k execdash", $"-k {OracleKey}", StringComparison.Ordinal));

        IReadOnlyCollection<CollectedExec> live;
        IReadOnlyCollection<CollectedExec> replayed;
        IReadOnlyDictionary<ulong, OracleExec> oracle;
        try
        {
            await using var auditd = await AuditDaemon.StartAsync(Patience);

            // auditd leaves the kernel's backlog at 64; a busy machine would overflow it during the workload.
            AuditCtl.Run("-b", "8192");
            AuditCtl.Run("-R", rules);
            Assert.Equal(2, AuditState.Read().RulesWithKey(OracleKey).Count());

            await using (var collector = CollectorProcess.Start("--output", "jsonl"))
            {
                await collector.WaitUntilCapturingAsync(Patience);
                var scriptPid = await workload.RunAsync();
                await collector.WaitForAsync(
                    events => workload.Expected.Where(x => x.Argv is not null).All(x => events.Any(e => e.HasArgument(x.Marker))),
                    Patience,
                    "the workload's execs");
                await Task.Delay(TimeSpan.FromSeconds(1));
                Assert.Equal(0, await collector.StopAsync(CollectorProcess.SigInt, Patience));
                Assert.Contains(collector.Events, e => !e.Success && e.Ppid == scriptPid);
                live = collector.Events;
            }

            AuditCtl.Run("-D", "-k", OracleKey);
            await auditd.StopAsync(Patience);

            await using (var replay = CollectorProcess.StartKeepingEverything("--source", "file", "--file", auditd.LogPath, "--output", "jsonl"))
            {
                Assert.Equal(0, await replay.WaitForExitAsync(Patience));
                output.WriteLine($"replay: {replay.Stderr}");
                replayed = replay.Events;
            }

            oracle = AusearchExecs.Read(auditd.LogPath);
        }
        finally
        {
            // auditd enables auditing and keeps the backlog we set; put everything back.
            saved.Restore(OracleKey);
        }

        AuditState.Read().AssertRestoredTo(before);
        output.WriteLine($"auditd logged {oracle.Count} EXECVE events; the replay found {replayed.Count} execs; netlink saw {live.Count}.");

        // auditd itself saw the workload (else the comparison would prove nothing).
        foreach (var expected in workload.Expected.Where(x => x.Argv is not null))
        {
            Assert.Contains(oracle.Values, o => o.Argv.Count > 1 && o.Argv[1].AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(expected.Marker)));
        }

        // 1. For every EXECVE event auditd logged, our parse of its log agrees with ausearch.
        var ours = replayed.GroupBy(e => e.Serial).ToDictionary(g => g.Key, g => g.ToList());
        var disagreements = new List<string>();
        foreach (var (serial, theirs) in oracle)
        {
            if (!ours.TryGetValue(serial, out var mine) || mine.Count != 1)
            {
                disagreements.Add($"serial {serial} ({theirs.Exe}): we have {(mine?.Count ?? 0)} events");
                continue;
            }

            var exec = mine[0];
            if (exec.Pid != theirs.Pid || exec.Ppid != theirs.Ppid || exec.Exe != theirs.Exe)
            {
                disagreements.Add($"serial {serial}: ours {exec.Exe}({exec.Pid}, ppid {exec.Ppid}), ausearch {theirs.Exe}({theirs.Pid}, ppid {theirs.Ppid})");
            }

            if (exec.Argv.Count != theirs.Argv.Count || exec.Argv.Zip(theirs.Argv).Any(p => !p.First.AsSpan().SequenceEqual(p.Second)))
            {
                disagreements.Add($"serial {serial} ({theirs.Exe}): argv differs ({exec.Argv.Count} vs {theirs.Argv.Count} arguments)");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements with ausearch:{Environment.NewLine}{string.Join(Environment.NewLine, disagreements.Take(20))}");

        // 2. Coexistence: over the serials the netlink collector was running, it and auditd saw the same execs.
        var first = live.Min(e => e.Serial);
        var last = live.Max(e => e.Serial);
        var liveSerials = live.Select(e => e.Serial).ToHashSet();
        var auditdSerials = replayed.Select(e => e.Serial).Where(s => s >= first && s <= last).ToHashSet();
        Assert.Equal(live.Count, liveSerials.Count);
        Assert.Empty(auditdSerials.Except(liveSerials).Take(20));
        Assert.Empty(liveSerials.Except(auditdSerials).Take(20));
    }

    /// <param name="execs">Exec events in the log. audit-rhel7.log has EXECVE records whose SYSCALL records are
    /// not in the log: without a pid they are counted by the audit stage, not reported as execs.</param>
    /// <param name="malformedBesideComments">Lines that are not audit records, other than the fixtures' own
    /// <c>#</c> comment lines (which the parser rightly counts as malformed too).</param>
    [Theory]
    [InlineData("go-libaudit/audit-rhel7.log", 0, 1)] // type=UNKNOWN[1329] msg=?
    [InlineData("go-libaudit/lost_messages.log", 2, 0)]
    [InlineData("go-libaudit/normal.log", 2, 0)]
    [InlineData("go-libaudit/out_of_order.log", 2, 0)]
    [InlineData("go-libaudit/rollover.log", 1, 0)]
    [InlineData("laurel/fork-sleep-exec.txt", 2, 0)]
    [InlineData("laurel/proc-trace-dpkg-l.txt", 11, 0)]
    [InlineData("laurel/record-execve-long.txt", 1, 0)]
    [InlineData("laurel/record-execve.txt", 1, 0)]
    [InlineData("laurel/record-perl-reverse-shell.txt", 1, 0)]
    [InlineData("laurel/record-syscall-key.txt", 1, 0)]
    [InlineData("laurel/record-syscall-nullkey.txt", 1, 0)]
    [InlineData("laurel/shell-proc-trace-confusion.txt", 5, 0)]
    [InlineData("laurel/shell-proc-trace-reordered.txt", 4, 0)]
    [InlineData("laurel/shell-proc-trace.txt", 4, 0)]
    public async Task Replays_a_published_audit_log_through_the_file_source_with_the_expected_execs(string fixture, int execs, int malformedBesideComments)
    {
        var path = Path.Combine(RepositoryPaths.AuditFixtures, fixture);
        var comments = (await File.ReadAllLinesAsync(path)).Count(l => l.StartsWith('#'));
        await using var replay = CollectorProcess.StartKeepingEverything("--source", "file", "--file", path, "--output", "jsonl");

        Assert.Equal(0, await replay.WaitForExitAsync(Patience));
        output.WriteLine(replay.Stderr);
        Assert.Equal(execs, replay.Events.Count);
        Assert.Contains($"malformed records {comments + malformedBesideComments},", replay.Stderr, StringComparison.Ordinal);
    }
}
