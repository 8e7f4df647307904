using System.Diagnostics;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>
/// The kernel's audit configuration as <c>auditctl</c> (Debian's auditd package) reports it: an
/// independent view of what the collector changed and whether it put everything back.
/// </summary>
internal sealed record AuditState(string Enabled, string Pid, string BacklogLimit, string Failure, IReadOnlyList<string> Rules)
{
    public static AuditState Read()
    {
        var status = Auditctl("-s").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        var rules = Auditctl("-l").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(r => r != "No rules").ToList();
        return new AuditState(status["enabled"], status["pid"], status["backlog_limit"], status["failure"], rules);
    }

    public IEnumerable<string> RulesWithKey(string key) => Rules.Where(r => r.Contains($"key={key}", StringComparison.Ordinal));

    /// <summary>Everything that must be as it was once a collector has stopped.</summary>
    public void AssertRestoredTo(AuditState before)
    {
        ArgumentNullException.ThrowIfNull(before);
        Assert.Equal(before.Rules, Rules);
        Assert.Equal(before.Enabled, Enabled);
        Assert.Equal(before.Pid, Pid);
        Assert.Equal(before.BacklogLimit, BacklogLimit);
        Assert.Equal(before.Failure, Failure);
    }

    public static string Auditctl(params string[] arguments)
    {
        var start = new ProcessStartInfo("auditctl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("auditctl did not start.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"auditctl {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
