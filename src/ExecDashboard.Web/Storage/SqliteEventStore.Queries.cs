using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>Read side: every query opens a pooled connection of its own.</summary>
internal sealed partial class SqliteEventStore
{
    private const string SessionSelect = """
        SELECT s.id, s.name, s.started_us, s.ended_us, s.host, s.origin,
               (SELECT COUNT(*) FROM events e WHERE e.session_id = s.id)
        FROM sessions s
        """;

    public IReadOnlyList<SessionInfo> ReadSessions()
    {
        using var c = Open();
        using var command = Command(c, null, SessionSelect + " ORDER BY s.id DESC;");
        return ReadAll(command, ReadSession);
    }

    public SessionInfo? ReadSession(long id)
    {
        using var c = Open();
        using var command = Command(c, null, SessionSelect + " WHERE s.id = $id;");
        command.Parameters.AddWithValue("$id", id);
        return ReadAll(command, ReadSession).FirstOrDefault();
    }

    public bool RenameSession(long id, string name) =>
        Write((c, t) =>
        {
            using var command = Command(c, t, "UPDATE sessions SET name = $name WHERE id = $id;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        });

    /// <summary>Deletes a session with its events and gaps. Processes stay: they are facts other sessions share.</summary>
    public bool DeleteSession(long id) =>
        Write((c, t) =>
        {
            foreach (var sql in new[] { "DELETE FROM events WHERE session_id = $id;", "DELETE FROM gaps WHERE session_id = $id;" })
            {
                using var child = Command(c, t, sql);
                child.Parameters.AddWithValue("$id", id);
                child.ExecuteNonQuery();
            }

            using var command = Command(c, t, "DELETE FROM sessions WHERE id = $id;");
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        });

    /// <summary>Events matching <paramref name="filter"/>, newest first, with ids below <paramref name="beforeId"/>.</summary>
    public IReadOnlyList<StoredExec> ReadEvents(ExecFilter filter, int max, long? beforeId)
    {
        using var c = Open();
        using var command = Command(c, null, string.Empty);
        var where = new StringBuilder("WHERE 1 = 1");
        if (beforeId is { } before)
        {
            where.Append(" AND id < $before");
            command.Parameters.AddWithValue("$before", before);
        }

        if (filter.SessionId is { } session)
        {
            where.Append(" AND session_id = $session");
            command.Parameters.AddWithValue("$session", session);
        }

        if (filter.Pid is { } pid)
        {
            where.Append(" AND pid = $pid");
            command.Parameters.AddWithValue("$pid", pid);
        }

        if (filter.Uid is { } uid)
        {
            where.Append(" AND uid = $uid");
            command.Parameters.AddWithValue("$uid", (long)uid);
        }

        if (!string.IsNullOrEmpty(filter.Exe))
        {
            where.Append(" AND instr(lower(exe), lower($exe)) > 0");
            command.Parameters.AddWithValue("$exe", filter.Exe);
        }

        if (!string.IsNullOrEmpty(filter.ArgvText))
        {
            where.Append(" AND instr(lower(argv), lower($argv)) > 0");
            command.Parameters.AddWithValue("$argv", filter.ArgvText);
        }

        if (filter.DescendantOf is { } root)
        {
            // The ancestry column holds every ancestor's key in JSON; a quoted key cannot match a longer one.
            where.Append(" AND (process_key = $root OR instr(ancestry, $quotedRoot) > 0)");
            command.Parameters.AddWithValue("$root", root.ToString());
            command.Parameters.AddWithValue("$quotedRoot", "\"" + root.ToString() + "\"");
        }

        command.CommandText = $"SELECT {EventRows.EventColumns} FROM events {where} ORDER BY id DESC LIMIT $max;";
        command.Parameters.AddWithValue("$max", max);
        var rows = ReadAll(command, EventRows.ReadEvent);
        if (filter.ArgvText is not null || filter.Exe is not null)
        {
            // SQL's lower() folds ASCII only and the argv column is JSON-escaped: confirm in memory.
            rows = rows.Where(filter.Matches).ToList();
        }

        return rows;
    }

    /// <summary>The newest events collected live (not imported), newest first: the hot window after a restart.</summary>
    public IReadOnlyList<StoredExec> ReadRecentLiveEvents(int max)
    {
        using var c = Open();
        using var command = Command(c, null, $"SELECT {EventRows.EventColumns} FROM events WHERE origin = 0 ORDER BY id DESC LIMIT $max;");
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command, EventRows.ReadEvent);
    }

    /// <summary>Every event of a session in arrival order, read lazily for streamed exports.</summary>
    public async IAsyncEnumerable<StoredExec> StreamSessionEvents(long sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = Open();
        await using var command = Command(c, null, $"SELECT {EventRows.EventColumns} FROM events WHERE session_id = $s ORDER BY id;");
        command.Parameters.AddWithValue("$s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return EventRows.ReadEvent(reader);
        }
    }

    public async IAsyncEnumerable<SessionProcess> StreamSessionProcesses(long sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = Open();
        await using var command = Command(c, null, $"""
            SELECT {EventRows.ProcessColumns} FROM processes
            WHERE key IN (SELECT process_key FROM events WHERE session_id = $s UNION SELECT parent_key FROM events WHERE session_id = $s)
            ORDER BY first_seen_us;
            """);
        command.Parameters.AddWithValue("$s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var p = EventRows.ReadProcess(reader);
            yield return new SessionProcess
            {
                Key = p.Key,
                Pid = p.Pid,
                Ppid = p.Ppid,
                Exe = p.Exe,
                Argv = p.Argv,
                Provenance = p.Provenance,
                FirstSeen = p.FirstSeen,
                LastSeen = p.LastSeen,
            };
        }
    }

    public IReadOnlyList<GapInfo> ReadGaps(long sessionId)
    {
        using var c = Open();
        using var command = Command(c, null, "SELECT session_id, collector_id, time_us, serial_gaps, kernel_lost FROM gaps WHERE session_id = $s ORDER BY id;");
        command.Parameters.AddWithValue("$s", sessionId);
        return ReadAll(command, r => new GapInfo(r.GetInt64(0), r.GetString(1), UnixMicros.ToTime(r.GetInt64(2)), r.GetInt64(3), r.GetInt64(4)));
    }

    public ProcessInfo? ReadProcess(ProcessKey key)
    {
        using var c = Open();
        using var command = Command(c, null, $"SELECT {EventRows.ProcessColumns} FROM processes WHERE key = $key;");
        command.Parameters.AddWithValue("$key", key.ToString());
        return ReadAll(command, EventRows.ReadProcess).FirstOrDefault();
    }

    /// <summary>The chain from the process's parent up to the root, nearest first.</summary>
    public IReadOnlyList<ProcessInfo> ReadAncestry(ProcessKey key, int maxDepth)
    {
        using var c = Open();
        using var command = Command(c, null, $"""
            WITH RECURSIVE chain (key, depth) AS (
                SELECT parent_key, 1 FROM processes WHERE key = $key AND parent_key <> ''
                UNION ALL
                SELECT p.parent_key, chain.depth + 1 FROM processes p JOIN chain ON p.key = chain.key
                WHERE p.parent_key <> '' AND chain.depth < $maxDepth)
            SELECT {Prefixed("p")} FROM chain JOIN processes p ON p.key = chain.key ORDER BY chain.depth;
            """);
        command.Parameters.AddWithValue("$key", key.ToString());
        command.Parameters.AddWithValue("$maxDepth", maxDepth);
        return ReadAll(command, EventRows.ReadProcess);
    }

    /// <summary>Every process below <paramref name="key"/>, breadth first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<ProcessInfo> ReadDescendants(ProcessKey key, int maxDepth, int max)
    {
        using var c = Open();
        using var command = Command(c, null, $"""
            WITH RECURSIVE tree (key, depth) AS (
                SELECT key, 1 FROM processes WHERE parent_key = $key
                UNION ALL
                SELECT p.key, tree.depth + 1 FROM processes p JOIN tree ON p.parent_key = tree.key WHERE tree.depth < $maxDepth)
            SELECT {Prefixed("p")} FROM tree JOIN processes p ON p.key = tree.key ORDER BY tree.depth, p.first_seen_us LIMIT $max;
            """);
        command.Parameters.AddWithValue("$key", key.ToString());
        command.Parameters.AddWithValue("$maxDepth", maxDepth);
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command, EventRows.ReadProcess);
    }

    public IReadOnlyList<ProcessInfo> FindProcesses(int? pid, string? exe, long? sessionId, int max)
    {
        using var c = Open();
        using var command = Command(c, null, string.Empty);
        var where = new StringBuilder("WHERE 1 = 1");
        if (pid is { } p)
        {
            where.Append(" AND pid = $pid");
            command.Parameters.AddWithValue("$pid", p);
        }

        if (!string.IsNullOrEmpty(exe))
        {
            where.Append(" AND instr(lower(exe), lower($exe)) > 0");
            command.Parameters.AddWithValue("$exe", exe);
        }

        if (sessionId is { } s)
        {
            where.Append(" AND (key IN (SELECT process_key FROM events WHERE session_id = $s) OR key IN (SELECT parent_key FROM events WHERE session_id = $s))");
            command.Parameters.AddWithValue("$s", s);
        }

        command.CommandText = $"SELECT {EventRows.ProcessColumns} FROM processes {where} ORDER BY last_seen_us DESC LIMIT $max;";
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command, EventRows.ReadProcess);
    }

    public long CountEvents()
    {
        using var c = Open();
        using var command = Command(c, null, "SELECT COUNT(*) FROM events;");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Prefixed(string alias) =>
        string.Join(", ", EventRows.ProcessColumns.Split(", ").Select(column => $"{alias}.{column}"));

    private static SessionInfo ReadSession(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Name = r.GetString(1),
        Started = UnixMicros.ToTime(r.GetInt64(2)),
        Ended = r.IsDBNull(3) ? null : UnixMicros.ToTime(r.GetInt64(3)),
        Host = r.GetString(4),
        Origin = r.GetString(5),
        EventCount = r.GetInt64(6),
    };

    private static List<T> ReadAll<T>(SqliteCommand command, Func<SqliteDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
