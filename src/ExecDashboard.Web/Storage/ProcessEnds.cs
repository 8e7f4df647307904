using System.Collections.Concurrent;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Reads and writes process ends (<see cref="ProcessEndRows"/>) for the store, and tells a
/// process that still runs from one whose end cannot be known: a boot with any stored end has a
/// source that reports exits, so a process of that boot without one still runs.
/// </summary>
internal sealed class ProcessEnds(SqliteEventStore db)
{
    // Boots seen with ends (only ever grows: a source that reported exits once does so for good).
    private readonly ConcurrentDictionary<string, bool> _bootsWithEnds = new(StringComparer.Ordinal);

    /// <summary>Inside the caller's write transaction; remembers the boots for <see cref="WithLifetimes"/>.</summary>
    public int Insert(SqliteConnection connection, SqliteTransaction transaction, long sessionId, IReadOnlyList<ProcessEnd> ends)
    {
        var inserted = ProcessEndRows.Insert(connection, transaction, sessionId, ends);
        foreach (var end in ends)
        {
            _bootsWithEnds[end.Process.Boot] = true;
        }

        return inserted;
    }

    public ProcessInfo? WithLifetime(ProcessInfo? process) => process is null ? null : WithLifetimes([process])[0];

    public IReadOnlyList<ProcessInfo> WithLifetimes(IReadOnlyList<ProcessInfo> processes)
    {
        if (processes.Count == 0)
        {
            return processes;
        }

        using var connection = db.Open();
        var ends = ProcessEndRows.Read(connection, processes.Select(p => p.Key).ToArray());
        var result = new ProcessInfo[processes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var p = processes[i];
            result[i] = p with { Lifetime = Lifetime(connection, p.Key, ends) };
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

        using var connection = db.Open();
        var ends = ProcessEndRows.Read(connection, keys);
        var result = new Dictionary<ProcessKey, ProcessLifetime>();
        foreach (var key in keys)
        {
            result[key] = Lifetime(connection, key, ends);
        }

        return result;
    }

    /// <summary>Every end among a session's processes.</summary>
    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ForSession(long sessionId)
    {
        using var connection = db.Open();
        return ProcessEndRows.ReadForSession(connection, sessionId);
    }

    private ProcessLifetime Lifetime(SqliteConnection connection, ProcessKey key, Dictionary<ProcessKey, ProcessEnd> ends)
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
            if (!ProcessEndRows.BootReportsEnds(connection, key.Boot))
            {
                return ProcessLifetime.Unknown;
            }

            _bootsWithEnds[key.Boot] = true;
        }

        return ProcessLifetime.Running;
    }
}
