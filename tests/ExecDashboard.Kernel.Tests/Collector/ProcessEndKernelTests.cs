using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExecDashboard.TestSupport;
using Xunit.Abstractions;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>
/// Process ends on the real kernel: programs that end in known ways (an exit code after a known
/// sleep, SIGKILL, SIGSEGV) and one that outlives the test arrive from the proc connector as
/// <c>"type": "exit"</c> lines (or, with <c>--output text</c>, <c>exit(pid) code 3 after 0.31 s</c>)
/// with the right status and a plausible duration.
/// </summary>
public sealed class ProcessEndKernelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Sleep = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Reports_how_and_when_each_process_of_a_workload_ended_and_nothing_for_one_still_running()
    {
        using var kernel = KernelAuditLock.Acquire();
        var before = AuditState.Read();
        var id = Guid.NewGuid().ToString("N")[..12];
        var exits3 = $"execdash-exit3-{id}";
        var killed = $"execdash-killed-{id}";
        var segv = $"execdash-segv-{id}";
        var daemonMarker = $"execdash-daemon-{id}";

        await using (var collector = CollectorProcess.Start("--output", "jsonl"))
        {
            await collector.WaitUntilCapturingAsync(Patience);

            // bash -c SCRIPT NAME: NAME becomes $0, so each marker is in the exec's argv.
            using var daemon = StartBash("sleep 600", daemonMarker);
            try
            {
                Assert.Equal(3, await RunBashAsync($"sleep {Sleep.TotalSeconds:0.0#}; exit 3", exits3));
                Assert.Equal(128 + 9, await RunBashAsync("kill -KILL $$", killed));
                Assert.Equal(128 + 11, await RunBashAsync("ulimit -c 0; kill -SEGV $$", segv));

                await collector.WaitForAsync(
                    _ => new[] { exits3, killed, segv }.All(marker => EndOf(collector, marker) is not null),
                    Patience,
                    "the end of every finished process of the workload");

                var exited = EndOf(collector, exits3)!;
                output.WriteLine($"exit 3: {exited}");
                Assert.Equal(3, exited.ExitCode);
                Assert.Null(exited.Signal);
                Assert.InRange(exited.DurationMs, (long)Sleep.TotalMilliseconds - 10, (long)Sleep.TotalMilliseconds + 5_000);

                var sigkill = EndOf(collector, killed)!;
                output.WriteLine($"SIGKILL: {sigkill}");
                Assert.Null(sigkill.ExitCode);
                Assert.Equal(9, sigkill.Signal);
                Assert.False(sigkill.CoreDumped);

                var sigsegv = EndOf(collector, segv)!;
                output.WriteLine($"SIGSEGV: {sigsegv}");
                Assert.Null(sigsegv.ExitCode);
                Assert.Equal(11, sigsegv.Signal);
                Assert.False(sigsegv.CoreDumped); // ulimit -c 0: no core was written

                var daemonExec = collector.Events.Single(e => e.HasArgument(daemonMarker));
                Assert.Equal(daemon.Id, daemonExec.Pid);
                Assert.DoesNotContain(collector.Exits, e => e.Process == daemonExec.Process);

                // Each end once, with the key its exec was given.
                foreach (var marker in new[] { exits3, killed, segv })
                {
                    var exec = collector.Events.Single(e => e.HasArgument(marker));
                    Assert.Single(collector.Exits, e => e.Process == exec.Process);
                }
            }
            finally
            {
                daemon.Kill();
                await daemon.WaitForExitAsync();
            }

            Assert.Equal(0, await collector.StopAsync(CollectorProcess.SigInt, Patience));
        }

        AuditState.Read().AssertRestoredTo(before);
    }

    [Fact]
    public async Task Text_output_prints_an_exit_line_after_the_exec_with_the_code_or_signal_and_the_duration()
    {
        using var kernel = KernelAuditLock.Acquire();
        var before = AuditState.Read();
        var id = Guid.NewGuid().ToString("N")[..12];

        await using (var collector = CollectorProcess.StartText())
        {
            await collector.WaitUntilCapturingAsync(Patience);

            var (exits3, code) = await RunBashWithPidAsync($"sleep {Sleep.TotalSeconds:0.0#}; exit 3", $"execdash-text-exit3-{id}");
            Assert.Equal(3, code);
            var (killed, killedCode) = await RunBashWithPidAsync("kill -KILL $$", $"execdash-text-killed-{id}");
            Assert.Equal(128 + 9, killedCode);

            await collector.WaitForLinesAsync(
                lines => ExitLineAfterExec(lines, exits3) is not null && ExitLineAfterExec(lines, killed) is not null,
                Patience,
                "the exit lines of both bash runs");
            var lines = collector.TextLines;

            var exitedLine = ExitLineAfterExec(lines, exits3)!;
            output.WriteLine(exitedLine);
            var exited = Regex.Match(exitedLine, @"^exit\((\d+)\) code 3 after (\d+\.\d\d) s$", RegexOptions.CultureInvariant);
            Assert.True(exited.Success, exitedLine);
            var seconds = double.Parse(exited.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.InRange(seconds, Sleep.TotalSeconds - 0.02, Sleep.TotalSeconds + 5);

            var killedLine = ExitLineAfterExec(lines, killed)!;
            output.WriteLine(killedLine);
            Assert.Matches(@"^exit\(\d+\) signal 9 \(SIGKILL\) after \d+\.\d\d s$", killedLine);

            Assert.Equal(0, await collector.StopAsync(CollectorProcess.SigInt, Patience));
            Assert.Contains("process ends", collector.Stderr, StringComparison.Ordinal);
        }

        AuditState.Read().AssertRestoredTo(before);
    }

    /// <summary>The first <c>exit(pid)</c> line after the line of bash's own exec (not a child's, whose chain also names the marker).</summary>
    private static string? ExitLineAfterExec(IReadOnlyList<string> lines, int pid)
    {
        var exec = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (exec < 0 && lines[i].Split(" -- ")[0].Contains($"bash({pid})[", StringComparison.Ordinal))
            {
                exec = i;
            }
            else if (exec >= 0 && lines[i].StartsWith($"exit({pid}) ", StringComparison.Ordinal))
            {
                return lines[i];
            }
        }

        return null;
    }

    private static async Task<(int Pid, int ExitCode)> RunBashWithPidAsync(string script, string name)
    {
        using var process = StartBash(script, name);
        await process.WaitForExitAsync();
        return (process.Id, process.ExitCode);
    }

    private static CollectedExit? EndOf(CollectorProcess collector, string marker)
    {
        var exec = collector.Events.FirstOrDefault(e => e.HasArgument(marker));
        return exec is null ? null : collector.Exits.FirstOrDefault(e => e.Process == exec.Process);
    }

    private static Process StartBash(string script, string name)
    {
        var start = new ProcessStartInfo("/usr/bin/bash") { UseShellExecute = false };
        start.ArgumentList.Add("--noprofile");
        start.ArgumentList.Add("--norc");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(name);
        return Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
    }

    private static async Task<int> RunBashAsync(string script, string name)
    {
        using var process = StartBash(script, name);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
