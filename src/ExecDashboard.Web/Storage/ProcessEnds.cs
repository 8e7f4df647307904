using System.Collections.Concurrent;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Joins process ends (stored by the engine with their batch) to processes, and tells a
/// process that still runs from one whose end cannot be known: a boot with any stored end has a
/// source that reports exits, so a process of that boot without one still runs.
/// </summary>
internal sealed class ProcessEnds(IStoreEngine db)
{
    // Boots seen with ends (only ever grows: a source that reported exits once does so for good).
    private readonly ConcurrentDictionary<string, bool> _bootsWithEnds = new(StringComparer.Ordinal);

    public ProcessInfo? WithLifetime(ProcessInfo? process) => process is null ? null : WithLifetimes([process])[0];

    public IReadOnlyList<ProcessInfo> WithLifetimes(IReadOnlyList<ProcessInfo> processes)
    {
        if (processes.Count == 0)
        {
            return processes;
        }

        var ends = db.ReadEnds(processes.Select(p => p.Key).ToArray());
        var result = new ProcessInfo[processes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var p = processes[i];
            result[i] = p with { Lifetime = Lifetime(p.Key, ends) };
        }

        return result;
    }

    /// <summary>The lifetimes of <paramref name="keys"/>, for views that show execs rather than processes.</summary>
    public IReadOnlyDictionary<ProcessKey, ProcessLifetime> Lifetimes(IReadOnlyCollection<ProcessKey> keys)
    {
        if (keys.Count == 0)
        {
            return new Dictionary<ProcessKey, ProcessLifetime>();
        }

        var ends = db.ReadEnds(keys);
        var result = new Dictionary<ProcessKey, ProcessLifetime>();
        foreach (var key in keys)
        {
            result[key] = Lifetime(key, ends);
        }

        return result;
    }

    /// <summary>Every end among a session's processes.</summary>
    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ForSession(long sessionId) => db.ReadSessionEnds(sessionId);

    private ProcessLifetime Lifetime(ProcessKey key, IReadOnlyDictionary<ProcessKey, ProcessEnd> ends)
    {
        if (ends.TryGetValue(key, out var end))
        {
            return ProcessLifetime.Ended(end);
        }

        if (key.IsNone)
        {
            return ProcessLifetime.Unknown;
        }

        if (!_bootsWithEnds.ContainsKey(key.Boot))
        {
            if (!db.BootReportsEnds(key.Boot))
            {
                return ProcessLifetime.Unknown;
            }

            _bootsWithEnds[key.Boot] = true;
        }

        return ProcessLifetime.Running;
    }
}
