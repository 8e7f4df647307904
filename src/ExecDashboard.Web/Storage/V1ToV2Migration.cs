using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Moves a version 1 database to version 2 inside the migration's transaction: the old tables
/// are renamed aside, every event and process is written again through the one write path
/// (<see cref="ExecRowWriter"/>), in the original order and with its session and origin, and the
/// old tables are dropped. Sessions, gaps and collectors keep their tables. Version 1 stored what
/// collectors sent before every way in was validated, so its rows are read defensively: a null
/// argument becomes empty, an unreadable key "unknown", an unreadable ancestor is left out of the
/// chain; one odd row must neither stop the migration (and with it the dashboard) nor a page.
/// </summary>
internal static class V1ToV2Migration
{
    private const int Chunk = 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Apply(SqliteConnection c, SqliteTransaction t)
    {
        SchemaMigrations.Run(c, t, """
            DROP INDEX events_session_id;
            DROP INDEX events_process_key;
            DROP INDEX events_parent_key;
            DROP INDEX processes_parent_key;
            DROP INDEX processes_pid;
            ALTER TABLE events RENAME TO v1_events;
            ALTER TABLE processes RENAME TO v1_processes;
            """);
        SchemaMigrations.Run(c, t, SchemaV2.Tables);
        using (var writer = new ExecRowWriter(c, new WriteCaches(capacity: 100_000)))
        {
            CopyEvents(c, t, writer);
            CopyProcesses(c, t, writer);
        }

        SchemaMigrations.Run(c, t, "DROP TABLE v1_events; DROP TABLE v1_processes;");
    }

    private static void CopyEvents(SqliteConnection c, SqliteTransaction t, ExecRowWriter writer)
    {
        using var command = SqliteEventStore.Command(c, t, """
            SELECT session_id, origin, time_us, serial, host, pid, ppid, uid, auid, comm, exe, argv, argv_bytes, cwd, success, exit,
                   syscall, arch, process_key, parent_key, ancestry
            FROM v1_events ORDER BY id;
            """);
        using var r = command.ExecuteReader();
        var chunk = new List<ExecEvent>(Chunk);
        (long Session, long Origin) current = default;
        while (r.Read())
        {
            var owner = (r.GetInt64(0), r.GetInt64(1));
            if (chunk.Count == Chunk || (chunk.Count > 0 && owner != current))
            {
                writer.Insert(current.Session, current.Origin, chunk);
                chunk.Clear();
            }

            current = owner;
            chunk.Add(ReadEvent(r));
        }

        if (chunk.Count > 0)
        {
            writer.Insert(current.Session, current.Origin, chunk);
        }
    }

    private static void CopyProcesses(SqliteConnection c, SqliteTransaction t, ExecRowWriter writer)
    {
        using var command = SqliteEventStore.Command(c, t,
            "SELECT key, ppid, parent_key, exe, argv, provenance, first_seen_us, last_seen_us FROM v1_processes ORDER BY first_seen_us;");
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            if (!ProcessKey.TryParse(r.GetString(0), out var key))
            {
                continue; // a process known by no readable key can be linked to nothing
            }

            writer.MergeProcess(
                key,
                r.GetInt32(1),
                KeyOrNone(r.GetString(2)),
                r.GetString(3),
                Arguments(r.GetString(4)),
                (Provenance)r.GetInt32(5),
                UnixMicros.ToTime(r.GetInt64(6)),
                UnixMicros.ToTime(r.GetInt64(7)));
        }
    }

    private static ExecEvent ReadEvent(SqliteDataReader r) => new()
    {
        Exec = new ExecObservation
        {
            Time = UnixMicros.ToTime(r.GetInt64(2)),
            Serial = unchecked((ulong)r.GetInt64(3)),
            Host = r.GetString(4),
            Pid = r.GetInt32(5),
            Ppid = r.GetInt32(6),
            Uid = unchecked((uint)r.GetInt64(7)),
            Auid = unchecked((uint)r.GetInt64(8)),
            Comm = r.GetString(9),
            Exe = r.GetString(10),
            Argv = Arguments(r.GetString(11)),
            ArgvBytes = r.IsDBNull(12) ? null : JsonSerializer.Deserialize<byte[][]>(r.GetString(12), Json),
            Cwd = r.GetString(13),
            Success = r.GetInt64(14) != 0,
            Exit = r.GetInt64(15),
            Syscall = r.GetString(16),
            Arch = r.GetString(17),
        },
        Process = KeyOrNone(r.GetString(18)),
        Parent = KeyOrNone(r.GetString(19)),
        Ancestry = Ancestors(r.GetString(20)),
    };

    private static ProcessKey KeyOrNone(string? text) => ProcessKey.TryParse(text, out var key) ? key : ProcessKey.None;

    private static string[] Arguments(string json) => ArgvJson.Read(json);

    private static Ancestor[] Ancestors(string json)
    {
        V1Ancestor?[]? stored;
        try
        {
            stored = JsonSerializer.Deserialize<V1Ancestor?[]>(json, Json);
        }
        catch (JsonException)
        {
            return [];
        }

        var chain = new List<Ancestor>(stored?.Length ?? 0);
        foreach (var a in stored ?? [])
        {
            if (a is not null && ProcessKey.TryParse(a.Key, out var key))
            {
                var provenance = Enum.IsDefined((Provenance)a.Provenance) ? (Provenance)a.Provenance : Provenance.Inferred;
                chain.Add(new Ancestor { Key = key, Pid = a.Pid, Exe = a.Exe ?? string.Empty, Argv = Array.ConvertAll(a.Argv ?? [], x => x ?? string.Empty), Provenance = provenance });
            }
        }

        return [.. chain];
    }

    private sealed record V1Ancestor(string? Key, int Pid, string? Exe, string?[]? Argv, int Provenance);
}
