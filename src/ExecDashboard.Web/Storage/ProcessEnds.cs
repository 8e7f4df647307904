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
    private static readonly IReadOnlyDictionary<ProcessKey, ProcessEnd> NoEnds = new Dictionary<ProcessKey, ProcessEnd>();

    // Boots seen with ends (only ever grows: a source that reported exits once does so for good).
    private readonly ConcurrentDictionary<string, bool> _bootsWithEnds = new(StringComparer.Ordinal);

    public ProcessInfo? WithLifetime(ProcessInfo? process) => process is null ? null : WithLifetimes([process])[0];

    public IReadOnlyList<ProcessInfo> WithLifetimes(IReadOnlyList<ProcessInfo> processes)
    {
        if (processes.Count == 0)
        {
            return processes;
        }

        var boots = new BootAnswers(db, _bootsWithEnds);
        var ends = ReadEnds(processes.Select(p => p.Key), boots);
        var result = new ProcessInfo[processes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var p = processes[i];
            result[i] = p with { Lifetime = Lifetime(p.Key, ends, boots) };
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

        var boots = new BootAnswers(db, _bootsWithEnds);
        var ends = ReadEnds(keys, boots);
        var result = new Dictionary<ProcessKey, ProcessLifetime>();
        foreach (var key in keys)
        {
            result[key] = Lifetime(key, ends, boots);
        }

        return result;
    }

    /// <summary>Every end among a session's processes.</summary>
    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ForSession(long sessionId) => db.ReadSessionEnds(sessionId);

    /// <summary>
    /// The stored ends of <paramref name="keys"/>, asking only for keys of boots that report ends:
    /// no other key can have one, and a raw log's thousands of descendants (a boot without ends)
    /// then cost one question instead of a look-up of every key.
    /// </summary>
    private IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadEnds(IEnumerable<ProcessKey> keys, BootAnswers boots)
    {
        var asked = keys.Where(k => !k.IsNone && boots.ReportsEnds(k.Boot)).ToArray();
        return asked.Length == 0 ? NoEnds : db.ReadEnds(asked);
    }

    private static ProcessLifetime Lifetime(ProcessKey key, IReadOnlyDictionary<ProcessKey, ProcessEnd> ends, BootAnswers boots)
    {
        if (ends.TryGetValue(key, out var end))
        {
            return ProcessLifetime.Ended(end);
        }

        if (key.IsNone)
        {
            return ProcessLifetime.Unknown;
        }

        return boots.ReportsEnds(key.Boot) ? ProcessLifetime.Running : ProcessLifetime.Unknown;
    }

    /// <summary>
    /// Whether each boot reports ends, asked at most once per look-up: a boot without ends may
    /// gain some later, so "no" is not kept across look-ups, but within one a page of thousands of
    /// descendants (all of one boot) would otherwise ask the database once per process.
    /// </summary>
    private sealed class BootAnswers(IStoreEngine db, ConcurrentDictionary<string, bool> bootsWithEnds)
    {
        private Dictionary<string, bool>? _asked;

        public bool ReportsEnds(string boot)
        {
            if (bootsWithEnds.ContainsKey(boot))
            {
                return true;
            }

            _asked ??= new Dictionary<string, bool>(StringComparer.Ordinal);
            if (!_asked.TryGetValue(boot, out var reports))
            {
                reports = db.BootReportsEnds(boot);
                _asked[boot] = reports;
                if (reports)
                {
                    bootsWithEnds[boot] = true;
                }
            }

            return reports;
        }
    }
}
