using System.Runtime.InteropServices;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Sources.Netlink;
using ExecDashboard.TestSupport;

namespace ExecDashboard.Kernel.Tests.Netlink;

/// <summary>
/// The netlink source against the real kernel. Each test holds the machine-wide audit lock, runs
/// with a key of its own and, whatever happens, deletes rules with that key and sets the status back.
/// </summary>
public sealed class NetlinkAuditSourceTests
{
    private const string Key = "execdash-test";
    private const string OtherKey = "execdash-test-other";
    private const string B64Rule = $"-a always,exit -F arch=b64 -S execve,execveat -F key={Key}";
    private const string B32Rule = $"-a always,exit -F arch=b32 -S execve,execveat -F key={Key}";

    [Fact]
    public async Task Installs_prepended_exec_rules_with_its_key_and_removes_only_them_on_dispose()
    {
        await WithKernelAuditAsync(async () =>
        {
            AuditCtl.Run("-a", "always,exit", "-F", "arch=b64", "-S", "chdir", "-k", OtherKey);
            var running = RunningSource.Start(Key);
            try
            {
                var rules = AuditCtl.Rules();
                Assert.Contains(B64Rule, rules);
                var other = rules.ToList().FindIndex(rule => rule.Contains(OtherKey, StringComparison.Ordinal));
                Assert.True(rules.ToList().IndexOf(B64Rule) < other, "our rule is prepended, ahead of the rule that was there first");
                if (RuntimeInformation.OSArchitecture == Architecture.X64)
                {
                    Assert.Contains(B32Rule, rules);
                }

                Assert.Equal(rules.Count(rule => rule.EndsWith($"key={Key}", StringComparison.Ordinal)), ExecAuditRules.ListInstalled(Key).Count);
            }
            finally
            {
                await running.DisposeAsync();
            }

            Assert.DoesNotContain(AuditCtl.Rules(), rule => rule.EndsWith($"key={Key}", StringComparison.Ordinal));
            Assert.Empty(ExecAuditRules.ListInstalled(Key));
            Assert.Contains(AuditCtl.Rules(), rule => rule.EndsWith($"key={OtherKey}", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Delivers_syscall_execve_and_eoe_records_of_an_exec_as_the_audit_daemon()
    {
        await WithKernelAuditAsync(async () =>
        {
            await using var running = RunningSource.Start(Key);
            Assert.Equal(NetlinkAuditMode.Daemon, running.Source.Mode);

            var marker = RunningSource.ExecProbe();
            var records = running.WaitForEventOf(marker);

            var syscall = Assert.Single(records, r => r.Type == 1300);
            Assert.Matches(@"^audit\(\d+\.\d{3}:\d+\): arch=c000003e syscall=59 success=yes ", syscall.Text);
            Assert.Contains($"key=\"{Key}\"", syscall.Text, StringComparison.Ordinal);
            Assert.Contains($"a1=\"{marker}\"", Assert.Single(records, r => r.Type == 1309).Text, StringComparison.Ordinal);
            Assert.Equal(1320, records[^1].Type);
            Assert.All(records, r => Assert.False(r.Text.EndsWith('\0') || r.Text.EndsWith('\n')));
            Assert.True(running.Source.Counters.Records >= records.Count);
        });
    }

    [Fact]
    public async Task Removes_stale_rules_with_its_key_left_by_a_crashed_run()
    {
        await WithKernelAuditAsync(async () =>
        {
            AuditCtl.Run("-a", "always,exit", "-F", "arch=b64", "-S", "execve", "-k", Key);
            AuditCtl.Run("-a", "always,exit", "-F", "arch=b64", "-S", "execve,execveat", "-k", Key);

            await using (var running = RunningSource.Start(Key))
            {
                var ours = AuditCtl.Rules().Where(rule => rule.EndsWith($"key={Key}", StringComparison.Ordinal)).ToList();
                Assert.Equal(RuntimeInformation.OSArchitecture == Architecture.X64 ? [B64Rule, B32Rule] : [B64Rule], ours);
            }

            Assert.Empty(ExecAuditRules.ListInstalled(Key));
        });
    }

    [Fact]
    public async Task Registers_as_audit_daemon_and_restores_the_previous_status_on_dispose()
    {
        await WithKernelAuditAsync(async () =>
        {
            AuditCtl.Run("-e", "0", "-b", "321");
            var before = AuditStatus.Read();

            await using (var running = RunningSource.Start(Key))
            {
                var during = AuditStatus.Read();
                Assert.Equal((uint)Environment.ProcessId, during.Pid);
                Assert.Equal(1u, during.Enabled);
                Assert.True(during.BacklogLimit >= 8192);
                Assert.Equal(before.BacklogWaitTime, during.BacklogWaitTime);
            }

            var after = AuditStatus.Read();
            Assert.Equal(
                (before.Enabled, before.Pid, before.BacklogLimit, before.BacklogWaitTime, before.Failure, before.RateLimit),
                (after.Enabled, after.Pid, after.BacklogLimit, after.BacklogWaitTime, after.Failure, after.RateLimit));
            Assert.Equal(0u, after.Pid);
            Assert.Equal(321u, after.BacklogLimit);
        });
    }

    [Fact]
    public async Task Reads_beside_a_running_auditd_in_multicast_mode_without_taking_its_place()
    {
        await WithKernelAuditAsync(async () =>
        {
            using var auditd = AuditdProcess.Start();
            await using (var forcedDaemon = new NetlinkAuditSource(new NetlinkAuditSourceOptions { RuleKey = Key, Mode = NetlinkAuditMode.Daemon }))
            {
                var refused = await Assert.ThrowsAsync<AuditSourceException>(
                    () => forcedDaemon.RunAsync(System.Threading.Channels.Channel.CreateUnbounded<RawAuditRecordBlock>().Writer, CancellationToken.None));
                Assert.Contains($"pid {auditd.Pid}", refused.Message, StringComparison.Ordinal);
                Assert.Empty(ExecAuditRules.ListInstalled(Key));
            }

            string marker;
            await using (var running = RunningSource.Start(Key))
            {
                Assert.Equal(NetlinkAuditMode.Multicast, running.Source.Mode);
                Assert.Contains(B64Rule, AuditCtl.Rules());

                marker = RunningSource.ExecProbe();
                var records = running.WaitForEventOf(marker);
                Assert.Contains(records, r => r.Type == 1300);
                Assert.Equal((uint)auditd.Pid, AuditStatus.Read().Pid);
            }

            Assert.Equal((uint)auditd.Pid, AuditStatus.Read().Pid);
            Assert.Empty(ExecAuditRules.ListInstalled(Key));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!auditd.ReadLog().Contains(marker, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Contains(marker, auditd.ReadLog(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Becomes_the_audit_daemon_when_the_registered_one_died_without_unregistering()
    {
        await WithKernelAuditAsync(async () =>
        {
            using (var auditd = AuditdProcess.Start())
            {
                auditd.Crash();
            }

            await using var running = RunningSource.Start(Key);
            Assert.Equal(NetlinkAuditMode.Daemon, running.Source.Mode);
            Assert.Equal((uint)Environment.ProcessId, AuditStatus.Read().Pid);
            Assert.Contains(running.WaitForEventOf(RunningSource.ExecProbe()), r => r.Type == 1309);
        });
    }

    [Fact]
    public async Task Reads_the_multicast_group_when_forced_without_an_audit_daemon()
    {
        await WithKernelAuditAsync(async () =>
        {
            await using var running = RunningSource.Start(Key, NetlinkAuditMode.Multicast);
            Assert.Equal(NetlinkAuditMode.Multicast, running.Source.Mode);
            Assert.Equal(0u, AuditStatus.Read().Pid);

            var marker = RunningSource.ExecProbe();
            Assert.Contains(running.WaitForEventOf(marker), r => r.Type == 1309);
        });
    }

    [Fact]
    public async Task Cancelled_run_completes_the_channel_and_dispose_afterwards_is_idempotent()
    {
        await WithKernelAuditAsync(async () =>
        {
            var before = AuditStatus.Read();
            var running = RunningSource.Start(Key);
            await running.CancelAsync();

            Assert.True(running.Run.IsCompletedSuccessfully);
            Assert.Empty(ExecAuditRules.ListInstalled(Key));
            await running.Source.DisposeAsync();
            await running.DisposeAsync();

            var after = AuditStatus.Read();
            Assert.Equal((before.Enabled, before.Pid, before.BacklogLimit), (after.Enabled, after.Pid, after.BacklogLimit));
        });
    }

    [Fact]
    public async Task Reports_the_kernel_lost_and_backlog_counters()
    {
        await WithKernelAuditAsync(async () =>
        {
            await using var running = RunningSource.Start(Key);
            var status = AuditStatus.Read();
            Assert.NotNull(running.Source.Counters.KernelBacklog);
            Assert.True(running.Source.Counters.KernelLost <= status.Lost);
        });
    }

    [Fact]
    public async Task Status_reader_agrees_with_auditctl()
    {
        await WithKernelAuditAsync(() =>
        {
            AuditCtl.Run("-b", "777");
            var ours = AuditStatus.Read();
            var theirs = AuditCtl.Status();
            Assert.Equal((theirs["enabled"], theirs["pid"], theirs["backlog_limit"], theirs["backlog_wait_time"]), (ours.Enabled, ours.Pid, ours.BacklogLimit, ours.BacklogWaitTime));
            Assert.Equal(777u, ours.BacklogLimit);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Lists_rules_installed_by_auditctl_with_arch_syscalls_and_key()
    {
        await WithKernelAuditAsync(() =>
        {
            AuditCtl.Run("-a", "always,exit", "-F", "arch=b64", "-S", "execve,execveat", "-F", "uid=0", "-k", Key);
            var rule = Assert.Single(ExecAuditRules.ListInstalled(Key));
            Assert.Equal(0xC000003Eu, rule.Arch);
            Assert.Equal([59, 322], rule.Syscalls);
            Assert.Equal(3, rule.FieldCount);
            return Task.CompletedTask;
        });
    }

    /// <summary>Holds the kernel audit lock and puts back rules with our keys and the status, even on failure.</summary>
    private static async Task WithKernelAuditAsync(Func<Task> test)
    {
        using var kernel = KernelAuditLock.Acquire();
        var state = KernelAuditState.Capture();
        try
        {
            await test();
        }
        finally
        {
            AuditCtl.DeleteRulesWithKey(OtherKey);
            state.Restore(Key);
        }
    }
}
