using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Merges what one exec event says about processes into the <c>processes</c> table: the exec'ing
/// process (exec seen) and each ancestor of its chain. Stronger provenance wins; an image is
/// replaced only by a later exec, so out-of-order re-sends cannot roll it back.
/// </summary>
internal sealed class ProcessMerge : IDisposable
{
    private readonly SqliteCommand _upsertExec;
    private readonly SqliteCommand _upsertAncestor;
    private readonly Dictionary<ProcessKey, PendingAncestor> _ancestors = [];

    public ProcessMerge(SqliteConnection c, SqliteTransaction t)
    {
        _upsertExec = SqliteEventStore.Command(c, t, """
            INSERT INTO processes (key, pid, ppid, parent_key, exe, argv, provenance, first_seen_us, last_seen_us)
            VALUES ($key, $pid, $ppid, $parent, $exe, $argv, $provenance, $time, $time)
            ON CONFLICT (key) DO UPDATE SET
                exe = CASE WHEN excluded.provenance = 0 AND (processes.provenance > 0 OR excluded.last_seen_us >= processes.last_seen_us) THEN excluded.exe ELSE processes.exe END,
                argv = CASE WHEN excluded.provenance = 0 AND (processes.provenance > 0 OR excluded.last_seen_us >= processes.last_seen_us) THEN excluded.argv ELSE processes.argv END,
                ppid = excluded.ppid,
                parent_key = CASE WHEN excluded.parent_key <> '' THEN excluded.parent_key ELSE processes.parent_key END,
                provenance = MIN(processes.provenance, excluded.provenance),
                first_seen_us = MIN(processes.first_seen_us, excluded.first_seen_us),
                last_seen_us = MAX(processes.last_seen_us, excluded.last_seen_us);
            """);
        _upsertAncestor = SqliteEventStore.Command(c, t, """
            INSERT INTO processes (key, pid, ppid, parent_key, exe, argv, provenance, first_seen_us, last_seen_us)
            VALUES ($key, $pid, $ppid, $parent, $exe, $argv, $provenance, $time, $last)
            ON CONFLICT (key) DO UPDATE SET
                exe = CASE WHEN excluded.provenance < processes.provenance OR processes.exe = '' THEN excluded.exe ELSE processes.exe END,
                argv = CASE WHEN excluded.provenance < processes.provenance OR processes.exe = '' THEN excluded.argv ELSE processes.argv END,
                ppid = CASE WHEN processes.parent_key = '' THEN excluded.ppid ELSE processes.ppid END,
                parent_key = CASE WHEN processes.parent_key = '' THEN excluded.parent_key ELSE processes.parent_key END,
                provenance = MIN(processes.provenance, excluded.provenance),
                first_seen_us = MIN(processes.first_seen_us, excluded.first_seen_us),
                last_seen_us = MAX(processes.last_seen_us, excluded.last_seen_us);
            """);
        foreach (var command in new[] { _upsertExec, _upsertAncestor })
        {
            foreach (var name in new[] { "$key", "$pid", "$ppid", "$parent", "$exe", "$argv", "$provenance", "$time" })
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        _upsertAncestor.Parameters.Add(new SqliteParameter { ParameterName = "$last" });
        _upsertExec.Prepare();
        _upsertAncestor.Prepare();
    }

    public void Dispose()
    {
        _upsertExec.Dispose();
        _upsertAncestor.Dispose();
    }

    public void Merge(ExecEvent e)
    {
        var x = e.Exec;
        if (e.Process.IsNone)
        {
            return;
        }

        var time = UnixMicros.From(x.Time);

        // A failed exec leaves the old image in place: it proves the process exists, not what runs in it.
        Run(_upsertExec, e.Process, x.Pid, x.Ppid, e.Parent, x.Success ? x.Exe : string.Empty,
            x.Success ? x.Argv : [], x.Success ? Provenance.ExecSeen : Provenance.Inferred, time);

        // In a storm every child names the same few ancestors: merge each once per batch (at Flush).
        for (var i = 0; i < e.Ancestry.Count; i++)
        {
            var a = e.Ancestry[i];
            var parent = i + 1 < e.Ancestry.Count ? e.Ancestry[i + 1] : null;
            if (_ancestors.TryGetValue(a.Key, out var seen))
            {
                _ancestors[a.Key] = seen with
                {
                    Ancestor = a.Provenance < seen.Ancestor.Provenance ? a : seen.Ancestor,
                    First = Math.Min(seen.First, time),
                    Last = Math.Max(seen.Last, time),
                };
            }
            else
            {
                _ancestors[a.Key] = new PendingAncestor(a, parent?.Pid ?? 0, parent?.Key ?? ProcessKey.None, time, time);
            }
        }
    }

    /// <summary>A process an imported session describes: merged like an ancestor (stronger provenance wins).</summary>
    public void Merge(Domain.Sessions.SessionProcess p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _upsertAncestor.Parameters[8].Value = UnixMicros.From(p.LastSeen);
        Run(_upsertAncestor, p.Key, p.Pid, p.Ppid, ProcessKey.None, p.Exe, p.Argv, p.Provenance, UnixMicros.From(p.FirstSeen));
    }

    /// <summary>Writes the ancestors gathered since the last flush; call before committing.</summary>
    public void Flush()
    {
        foreach (var p in _ancestors.Values)
        {
            _upsertAncestor.Parameters[8].Value = p.Last;
            Run(_upsertAncestor, p.Ancestor.Key, p.Ancestor.Pid, p.Ppid, p.Parent, p.Ancestor.Exe, p.Ancestor.Argv, p.Ancestor.Provenance, p.First);
        }

        _ancestors.Clear();
    }

    private sealed record PendingAncestor(Ancestor Ancestor, int Ppid, ProcessKey Parent, long First, long Last);

    private static void Run(SqliteCommand command, ProcessKey key, int pid, int ppid, ProcessKey parent, string exe, IReadOnlyList<string> argv, Provenance provenance, long time)
    {
        var p = command.Parameters;
        p[0].Value = key.ToString();
        p[1].Value = pid;
        p[2].Value = ppid;
        p[3].Value = parent.ToString();
        p[4].Value = exe;
        p[5].Value = EventRows.ToJson(argv);
        p[6].Value = (int)provenance;
        p[7].Value = time;
        command.ExecuteNonQuery();
    }
}
