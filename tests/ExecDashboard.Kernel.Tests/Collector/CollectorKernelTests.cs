using System.Text;
using ExecDashboard.TestSupport;
using Xunit.Abstractions;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>
/// The real collector on the real kernel: started as a child process, fed by a workload of
/// awkward execs, stopped by signal. Each test holds the machine-wide kernel audit lock.
/// </summary>
public sealed class CollectorKernelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reports_every_exec_of_the_workload_once_with_exact_argv_and_its_chain_to_pid_1()
    {
        using var kernel = KernelAuditLock.Acquire();
        var before = AuditState.Read();
        using var workload = ExecWorkload.Create();
        foreach (var note in workload.Notes)
        {
            output.WriteLine(note);
        }

        await using (var collector = CollectorProcess.Start("--output", "jsonl"))
        {
            await collector.WaitUntilCapturingAsync(Patience);
            Assert.NotEmpty(AuditState.Read().RulesWithKey("execdash"));

            var scriptPid = await workload.RunAsync();
            await collector.WaitForAsync(
                events => workload.Expected.All(x => Find(events, x, scriptPid).Any()),
                Patience,
                "every exec of the workload");
            await Task.Delay(TimeSpan.FromSeconds(1)); // room for a duplicate to show up

            Assert.Equal(0, await collector.StopAsync(CollectorProcess.SigInt, Patience));
            output.WriteLine($"{collector.Lines} events in all; stderr:{Environment.NewLine}{collector.Stderr}");
            foreach (var expected in workload.Expected)
            {
                AssertReportedOnceWithChain(collector.Events, expected, scriptPid);
            }

            Assert.Contains("Collector stopped", collector.Stderr, StringComparison.Ordinal);
        }

        Assert.Empty(AuditState.Read().RulesWithKey("execdash"));
        AuditState.Read().AssertRestoredTo(before);
    }

    [Fact]
    public async Task Removes_its_rules_and_restores_the_audit_status_on_SIGTERM()
    {
        using var kernel = KernelAuditLock.Acquire();
        var before = AuditState.Read();

        await using var collector = CollectorProcess.Start("--output", "jsonl");
        await collector.WaitUntilCapturingAsync(Patience);
        Assert.NotEqual(before.Rules, AuditState.Read().Rules);

        Assert.Equal(0, await collector.StopAsync(CollectorProcess.SigTerm, Patience));

        AuditState.Read().AssertRestoredTo(before);
    }

    [Fact]
    public async Task A_second_collector_started_alongside_does_not_break_the_first()
    {
        using var kernel = KernelAuditLock.Acquire();
        var before = AuditState.Read();

        await using var first = CollectorProcess.Start("--output", "jsonl");
        await first.WaitUntilCapturingAsync(Patience);

        await using (var second = CollectorProcess.Start("--output", "jsonl"))
        {
            // The second either runs beside the first (read-only multicast) or refuses with one sentence.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var status = await second.StopAsync(CollectorProcess.SigInt, Patience);
            output.WriteLine($"second collector exited with {status}: {second.Stderr}");
            if (status != 0)
            {
                var message = second.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
                Assert.StartsWith("execdash-collector: ", message, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
            }
        }

        // The first still has its rules and still receives execs.
        Assert.NotEmpty(AuditState.Read().RulesWithKey("execdash"));
        await first.WaitUntilCapturingAsync(Patience);

        Assert.Equal(0, await first.StopAsync(CollectorProcess.SigTerm, Patience));
        AuditState.Read().AssertRestoredTo(before);
    }

    private static IEnumerable<CollectedExec> Find(IEnumerable<CollectedExec> events, ExpectedExec expected, int scriptPid) =>
        expected.Argv is null
            ? events.Where(e => !e.Success && e.Ppid == scriptPid)
            : events.Where(e => e.Argv.Count > 1 && e.Argv[1].AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(expected.Marker)));

    private static void AssertReportedOnceWithChain(IEnumerable<CollectedExec> events, ExpectedExec expected, int scriptPid)
    {
        var matches = Find(events, expected, scriptPid).ToList();
        Assert.True(matches.Count == 1, $"{expected}: reported {matches.Count} times.");
        var exec = matches[0];

        if (expected.Argv is { } argv)
        {
            Assert.Equal(argv.Length, exec.Argv.Count);
            for (var i = 0; i < argv.Length; i++)
            {
                Assert.True(argv[i].AsSpan().SequenceEqual(exec.Argv[i]), $"{expected}: argument {i} differs.");
            }
        }

        Assert.Equal(expected.Success, exec.Success);
        Assert.Equal(expected.Syscall, exec.Syscall);
        Assert.Equal(expected.Arch, exec.Arch);
        if (!expected.Success)
        {
            Assert.Equal(-2, exec.Exit); // ENOENT
        }

        // The chain: parent (the script, or a shell it started), the script, this test process, ..., PID 1.
        var chain = exec.Ancestry;
        Assert.True(chain.Count >= 3, $"{expected}: chain too short: {string.Join(" -- ", chain.Select(a => $"{a.Exe}({a.Pid})"))}");
        Assert.Equal(exec.Ppid, chain[0].Pid);
        Assert.EndsWith(expected.ParentExe, chain[0].Exe, StringComparison.Ordinal);
        Assert.Equal(exec.Parent, chain[0].Key);
        var scriptAt = expected.ParentIsScript ? 0 : 1;
        Assert.Equal(scriptPid, chain[scriptAt].Pid);
        Assert.Equal("execSeen", chain[scriptAt].Provenance);
        Assert.Equal(Environment.ProcessId, chain[scriptAt + 1].Pid);
        Assert.Equal(1, chain[^1].Pid);
        Assert.Equal(chain.Count, chain.Select(a => a.Pid).Distinct().Count());
        Assert.All(chain, a => Assert.False(string.IsNullOrEmpty(a.Key)));
        Assert.False(string.IsNullOrEmpty(exec.Process));
    }
}
