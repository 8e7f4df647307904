using System.Diagnostics;

namespace ExecDashboard.TestSupport;

/// <summary>Runs Debian's <c>auditctl</c>: an independent view of (and a way to change) the kernel audit configuration.</summary>
public static class AuditCtl
{
    /// <summary>Runs auditctl with <paramref name="arguments"/>; throws with its stderr on a non-zero exit.</summary>
    public static string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("auditctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("auditctl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"auditctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Trim()}");
        }

        return output.Result;
    }

    /// <summary>The loaded rules, one per line as auditctl prints them (empty when there are none).</summary>
    public static IReadOnlyList<string> Rules() =>
        [.. Run("-l").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => line != "No rules")];

    /// <summary>Deletes every rule carrying <paramref name="key"/> and nothing else.</summary>
    public static void DeleteRulesWithKey(string key) => Run("-D", "-k", key);

    /// <summary>The status fields (<c>auditctl -s</c>), for example <c>pid</c>, <c>enabled</c>, <c>backlog_limit</c>.</summary>
    public static IReadOnlyDictionary<string, long> Status()
    {
        var status = new Dictionary<string, long>();
        foreach (var line in Run("-s").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length >= 2 && long.TryParse(parts[1], out var value))
            {
                status[parts[0]] = value;
            }
        }

        return status;
    }
}
