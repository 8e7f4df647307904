using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>Read side: every query opens a pooled connection of its own.</summary>
internal sealed partial class SqliteEventStore
{
    /// <summary>
    /// Events of an import still in progress (or left by a crash) are invisible: every read that
    /// can reach events of more than one session, or of a session named by id, carries this.
    /// </summary>
    private const string Visible = "e.session_id NOT IN (SELECT id FROM sessions WHERE importing = 1)";

    private const string SessionSelect = """
        SELECT s.id, s.name, s.started_us, s.ended_us, s.host, s.origin,
               (SELECT COUNT(*) FROM events e WHERE e.session_id = s.id)
        FROM sessions s
        """;

    public IReadOnlyList<SessionInfo> ReadSessions()
    {
        using var c = Open();
        using var command = Command(c, null, SessionSelect + " WHERE s.importing = 0 ORDER BY s.id DESC;");
        return ReadAll(command, ReadSession);
    }

    public SessionInfo? ReadSession(long id)
    {
        using var c = Open();
        using var command = Command(c, null, SessionSelect + " WHERE s.id = $id AND s.importing = 0;");
        command.Parameters.AddWithValue("$id", id);
        return ReadAll(command, ReadSession).FirstOrDefault();
    }

    public bool RenameSession(long id, string name) =>
        Write((c, t) =>
        {
            using var command = Command(c, t, "UPDATE sessions SET name = $name WHERE id = $id AND importing = 0;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        });

    /// <summary>Deletes a session with its events and gaps. Processes stay: they are facts other sessions share.</summary>
    public bool DeleteSession(long id) =>
        Write((c, t) =>
        {
            // An import in progress is not the user's to delete: it removes itself if it fails.
            using (var visible = Command(c, t, "SELECT COUNT(*) FROM sessions WHERE id = $id AND importing = 0;"))
            {
                visible.Parameters.AddWithValue("$id", id);
                if (Convert.ToInt64(visible.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
                {
                    return false;
                }
            }

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
        var with = string.Empty;
        var where = new StringBuilder($"WHERE {Visible}");
        if (beforeId is { } before)
        {
            where.Append(" AND e.id < $before");
            command.Parameters.AddWithValue("$before", before);
        }

        if (filter.SessionId is { } session)
        {
            where.Append(" AND e.session_id = $session");
            command.Parameters.AddWithValue("$session", session);
        }

        if (filter.Host is { } host)
        {
            where.Append(" AND e.host IN (SELECT id FROM texts WHERE text = $host)");
            command.Parameters.AddWithValue("$host", host);
        }

        if (filter.Pid is { } pid)
        {
            // Through the process index: processes by pid, then their events.
            where.Append(" AND e.process IN (SELECT id FROM processes WHERE pid = $pid) AND e.pid = $pid");
            command.Parameters.AddWithValue("$pid", pid);
        }

        if (filter.Uid is { } uid)
        {
            where.Append(" AND e.uid = $uid");
            command.Parameters.AddWithValue("$uid", unchecked((int)uid));
        }

        if (!string.IsNullOrEmpty(filter.Exe))
        {
            where.Append(" AND e.exe IN (SELECT id FROM texts WHERE instr(lower(text), lower($exe)) > 0)");
            command.Parameters.AddWithValue("$exe", filter.Exe);
        }

        if (!string.IsNullOrEmpty(filter.ArgvText))
        {
            where.Append(" AND e.argv IN (SELECT id FROM texts WHERE instr(lower(text), lower($argv)) > 0)");
            command.Parameters.AddWithValue("$argv", filter.ArgvText);
        }

        if (filter.DescendantOf is { } root)
        {
            with = DescendantTree;
            where.Append(" AND e.process IN (SELECT id FROM tree)");
            AddKey(command, root);
            command.Parameters.AddWithValue("$maxDepth", 256);
        }

        command.CommandText = $"{with} {EventRows.EventSelect} {where} ORDER BY e.id DESC LIMIT $max;";
        command.Parameters.AddWithValue("$max", max);
        var rows = ReadAll(command, r => EventRows.ReadEvent(r, c, _readCaches));
        if (filter.ArgvText is not null || filter.Exe is not null)
        {
            // SQL's lower() folds ASCII only and the argv text is JSON: confirm in memory.
            rows = rows.Where(filter.Matches).ToList();
        }

        return rows;
    }

    /// <summary>How many visible events each host has, in one session or in all, most first.</summary>
    public IReadOnlyList<HostCount> ReadHostCounts(long? sessionId)
    {
        using var c = Open();
        using var command = Command(c, null, $"""
            SELECT t.text, count(*) FROM events e JOIN texts t ON t.id = e.host
            WHERE {Visible}{(sessionId is null ? string.Empty : " AND e.session_id = $s")}
            GROUP BY e.host ORDER BY count(*) DESC, t.text;
            """);
        if (sessionId is { } id)
        {
            command.Parameters.AddWithValue("$s", id);
        }

        return ReadAll(command, r => new HostCount(r.GetString(0), r.GetInt64(1)));
    }

    /// <summary>The sessions with at least one visible event of <paramref name="host"/>.</summary>
    public IReadOnlySet<long> ReadSessionIdsWithHost(string host)
    {
        using var c = Open();
        using var command = Command(c, null, $"SELECT DISTINCT e.session_id FROM events e WHERE e.host IN (SELECT id FROM texts WHERE text = $host) AND {Visible};");
        command.Parameters.AddWithValue("$host", host);
        return ReadAll(command, r => r.GetInt64(0)).ToHashSet();
    }

    /// <summary>The newest events collected live (not imported), newest first: the hot window after a restart.</summary>
    public IReadOnlyList<StoredExec> ReadRecentLiveEvents(int max)
    {
        using var c = Open();
        using var command = Command(c, null, $"{EventRows.EventSelect} WHERE e.origin = 0 ORDER BY e.id DESC LIMIT $max;");
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command, r => EventRows.ReadEvent(r, c, _readCaches));
    }

    /// <summary>Every event of a session in arrival order, read lazily for streamed exports.</summary>
    public async IAsyncEnumerable<StoredExec> StreamSessionEvents(long sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = Open();
        await using var command = Command(c, null, $"{EventRows.EventSelect} WHERE e.session_id = $s AND {Visible} ORDER BY e.id;");
        command.Parameters.AddWithValue("$s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return EventRows.ReadEvent(reader, c, _readCaches);
        }
    }

    /// <summary>
    /// The session's events and processes written straight from their rows: the events by a
    /// reader per core (at most four, <see cref="SessionEventJson"/>), the processes sorted beside
    /// them and read with their ends (<see cref="SessionProcessJson"/>), each on connections of the
    /// export's own (<see cref="ExportConnection"/>).
    /// </summary>
    public SessionExport ExportSession(long sessionId)
    {
        var events = SessionEventJson.Start(DatabasePath, sessionId, readers: Math.Clamp(Environment.ProcessorCount, 1, 4), chunkEvents: 256);
        SessionProcessJson processes;
        try
        {
            processes = SessionProcessJson.Start(new ExportConnection(DatabasePath), sessionId);
        }
        catch
        {
            events.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return new SessionExport(events, processes, () => Task.FromResult(processes.Ends));
    }

    public async IAsyncEnumerable<SessionProcess> StreamSessionProcesses(long sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = Open();
        await using var command = Command(c, null, $"""
            {EventRows.ProcessSelect}
            WHERE p.id IN (SELECT process FROM events WHERE session_id = $s UNION SELECT parent FROM events WHERE session_id = $s)
            ORDER BY p.first_seen_us, p.id;
            """);
        command.Parameters.AddWithValue("$s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var p = EventRows.ReadProcess(reader, c, _readCaches);
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
        using var command = Command(c, null, "SELECT session_id, collector_id, time_us, serial_gaps, kernel_lost FROM gaps WHERE session_id = $s AND session_id NOT IN (SELECT id FROM sessions WHERE importing = 1) ORDER BY id;");
        command.Parameters.AddWithValue("$s", sessionId);
        return ReadAll(command, r => new GapInfo(r.GetInt64(0), r.GetString(1), UnixMicros.ToTime(r.GetInt64(2)), r.GetInt64(3), r.GetInt64(4)));
    }

    public ProcessInfo? ReadProcess(ProcessKey key)
    {
        using var c = Open();
        using var command = Command(c, null, $"{EventRows.ProcessSelect} WHERE {KeyMatch("p")};");
        AddKey(command, key);
        return ReadAll(command, r => EventRows.ReadProcess(r, c, _readCaches)).FirstOrDefault();
    }

    /// <summary>The chain from the process's parent up to the root, nearest first.</summary>
    public IReadOnlyList<ProcessInfo> ReadAncestry(ProcessKey key, int maxDepth)
    {
        using var c = Open();
        using var command = Command(c, null, $"""
            WITH RECURSIVE chain (id, depth) AS (
                SELECT p.parent, 1 FROM processes p WHERE {KeyMatch("p")} AND p.parent <> 0
                UNION ALL
                SELECT p.parent, chain.depth + 1 FROM processes p JOIN chain ON p.id = chain.id
                WHERE p.parent <> 0 AND chain.depth < $maxDepth)
            SELECT {EventRows.ProcessColumns} FROM chain CROSS JOIN processes p ON p.id = chain.id LEFT JOIN processes q ON q.id = p.parent
            ORDER BY chain.depth;
            """);
        AddKey(command, key);
        command.Parameters.AddWithValue("$maxDepth", maxDepth);
        return ReadAll(command, r => EventRows.ReadProcess(r, c, _readCaches));
    }

    /// <summary>Every process below <paramref name="key"/>, breadth first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<ProcessInfo> ReadDescendants(ProcessKey key, int maxDepth, int max)
    {
        using var c = Open();
        using var command = Command(c, null, $"""
            {DescendantTree}
            SELECT {EventRows.ProcessColumns} FROM tree CROSS JOIN processes p ON p.id = tree.id LEFT JOIN processes q ON q.id = p.parent
            WHERE tree.depth > 0 ORDER BY tree.depth, p.first_seen_us LIMIT $max;
            """);
        AddKey(command, key);
        command.Parameters.AddWithValue("$maxDepth", maxDepth);
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command, r => EventRows.ReadProcess(r, c, _readCaches));
    }

    public IReadOnlyList<ProcessInfo> FindProcesses(int? pid, string? exe, long? sessionId, int max)
    {
        using var c = Open();
        using var command = Command(c, null, string.Empty);
        var where = new StringBuilder("WHERE 1 = 1");
        if (pid is { } p)
        {
            where.Append(" AND p.pid = $pid");
            command.Parameters.AddWithValue("$pid", p);
        }

        if (!string.IsNullOrEmpty(exe))
        {
            where.Append(" AND p.exe IN (SELECT id FROM texts WHERE instr(lower(text), lower($exe)) > 0)");
            command.Parameters.AddWithValue("$exe", exe);
        }

        if (sessionId is { } s)
        {
            where.Append(" AND $s NOT IN (SELECT id FROM sessions WHERE importing = 1) AND p.id IN (SELECT process FROM events WHERE session_id = $s UNION SELECT parent FROM events WHERE session_id = $s)");
            command.Parameters.AddWithValue("$s", s);
        }

        command.CommandText = $"{EventRows.ProcessSelect} {where} ORDER BY p.last_seen_us DESC LIMIT $max;";
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command, r => EventRows.ReadProcess(r, c, _readCaches));
    }

    public long CountEvents()
    {
        using var c = Open();
        using var command = Command(c, null, $"SELECT COUNT(*) FROM events e WHERE {Visible};");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The process named by $kpid/$kstart/$kboot and every process below it (depth 0 is itself).
    /// Queries join it first (CROSS JOIN fixes the order), so each row is a seek by id rather
    /// than a scan of every process probing the tree.
    /// </summary>
    private const string DescendantTree = """
        WITH RECURSIVE tree (id, depth) AS (
            SELECT p.id, 0 FROM processes p WHERE p.pid = $kpid AND p.start = $kstart AND p.boot = (SELECT id FROM texts WHERE text = $kboot)
            UNION ALL
            SELECT p.id, tree.depth + 1 FROM processes p JOIN tree ON p.parent = tree.id WHERE tree.depth < $maxDepth)
        """;

    private static string KeyMatch(string alias) =>
        $"{alias}.pid = $kpid AND {alias}.start = $kstart AND {alias}.boot = (SELECT id FROM texts WHERE text = $kboot)";

    private static void AddKey(SqliteCommand command, ProcessKey key)
    {
        command.Parameters.AddWithValue("$kpid", key.Pid);
        command.Parameters.AddWithValue("$kstart", key.StartTicks);
        command.Parameters.AddWithValue("$kboot", key.Boot);
    }

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
