using System.Runtime.CompilerServices;
using System.Text;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>Read side: every query takes a pooled connection of its own.</summary>
internal sealed partial class PostgresEventStore
{
    /// <summary>Events of an import in progress (or left by a crash) are invisible to every read.</summary>
    private const string Visible = "e.session_id NOT IN (SELECT id FROM sessions WHERE importing)";

    private const string SessionSelect = """
        SELECT s.id, s.name, s.started_us, s.ended_us, s.host, s.origin,
               (SELECT COUNT(*) FROM events e WHERE e.session_id = s.id)
        FROM sessions s
        """;

    private const string KeyMatch = "p.pid = @kpid AND p.start = @kstart AND p.boot = @kboot";

    /// <summary>The process named by @kpid/@kstart/@kboot and every process below it (depth 0 is itself).</summary>
    private const string DescendantTree = $"""
        WITH RECURSIVE tree (pid, start, boot, depth) AS (
            SELECT p.pid, p.start, p.boot, 0 FROM processes p WHERE {KeyMatch}
            UNION ALL
            SELECT p.pid, p.start, p.boot, tree.depth + 1 FROM processes p
            JOIN tree ON p.parent_pid = tree.pid AND p.parent_start = tree.start AND p.parent_boot = tree.boot
            WHERE tree.depth < @maxDepth)
        """;

    public IReadOnlyList<SessionInfo> ReadSessions() => Read(SessionSelect + " WHERE NOT s.importing ORDER BY s.id DESC;", ReadSession);

    public SessionInfo? ReadSession(long id) =>
        Read(SessionSelect + " WHERE s.id = @id AND NOT s.importing;", ReadSession, ("id", id)).FirstOrDefault();

    public IReadOnlyList<StoredExec> ReadEvents(ExecFilter filter, int max, long? beforeId)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var c = _dataSource.OpenConnection();
        using var command = Command(c, null, string.Empty);
        var with = string.Empty;
        var where = new StringBuilder($"WHERE {Visible}");
        if (beforeId is { } before)
        {
            where.Append(" AND e.id < @before");
            command.Parameters.AddWithValue("before", before);
        }

        if (filter.SessionId is { } session)
        {
            where.Append(" AND e.session_id = @session");
            command.Parameters.AddWithValue("session", session);
        }

        if (filter.Host is { } host)
        {
            where.Append(" AND e.host = @host");
            command.Parameters.AddWithValue("host", host);
        }

        if (filter.Pid is { } pid)
        {
            where.Append(" AND e.pid = @pid");
            command.Parameters.AddWithValue("pid", pid);
        }

        if (filter.Uid is { } uid)
        {
            where.Append(" AND e.uid = @uid");
            command.Parameters.AddWithValue("uid", unchecked((int)uid));
        }

        if (!string.IsNullOrEmpty(filter.Exe))
        {
            where.Append(" AND strpos(lower(e.exe), lower(@exe)) > 0");
            command.Parameters.AddWithValue("exe", filter.Exe);
        }

        if (!string.IsNullOrEmpty(filter.ArgvText))
        {
            // chr(1) never occurs in an argument, so no match spans two of them.
            where.Append(" AND strpos(lower(array_to_string(e.argv, chr(1))), lower(@argv)) > 0");
            command.Parameters.AddWithValue("argv", filter.ArgvText);
        }

        if (filter.DescendantOf is { } root)
        {
            with = DescendantTree;
            where.Append(" AND (e.process_pid, e.process_start, e.boot) IN (SELECT pid, start, boot FROM tree)");
            AddKey(command, root);
            command.Parameters.AddWithValue("maxDepth", 256);
        }

        command.CommandText = $"{with} SELECT {PostgresRows.EventColumns} FROM events e {where} ORDER BY e.id DESC LIMIT @max;";
        command.Parameters.AddWithValue("max", max);
        var rows = ReadAll(command, PostgresRows.ReadEvent);
        if (filter.ArgvText is not null || filter.Exe is not null)
        {
            // lower() and strpos() follow the database's collation; the filter's own rule (ordinal,
            // ignoring case) has the last word, as in the SQLite engine.
            rows = rows.Where(filter.Matches).ToList();
        }

        return rows;
    }

    public IReadOnlyList<HostCount> ReadHostCounts(long? sessionId) =>
        sessionId is { } id
            ? Read($"SELECT e.host, COUNT(*) FROM events e WHERE e.session_id = @s AND {Visible} GROUP BY e.host ORDER BY COUNT(*) DESC, e.host;", ReadHostCount, ("s", id))
            : Read($"SELECT e.host, COUNT(*) FROM events e WHERE {Visible} GROUP BY e.host ORDER BY COUNT(*) DESC, e.host;", ReadHostCount);

    public IReadOnlySet<long> ReadSessionIdsWithHost(string host) =>
        Read($"SELECT DISTINCT e.session_id FROM events e WHERE e.host = @host AND {Visible};", r => r.GetInt64(0), ("host", host)).ToHashSet();

    private static HostCount ReadHostCount(NpgsqlDataReader r) => new(r.GetString(0), r.GetInt64(1));

    public IReadOnlyList<StoredExec> ReadRecentLiveEvents(int max) =>
        Read($"SELECT {PostgresRows.EventColumns} FROM events e WHERE e.origin = 0 ORDER BY e.id DESC LIMIT @max;", PostgresRows.ReadEvent, ("max", max));

    public async IAsyncEnumerable<StoredExec> StreamSessionEvents(long sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(c, null, $"SELECT {PostgresRows.EventColumns} FROM events e WHERE e.session_id = @s AND {Visible} ORDER BY e.id;");
        command.Parameters.AddWithValue("s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return PostgresRows.ReadEvent(reader);
        }
    }

    public async IAsyncEnumerable<SessionProcess> StreamSessionProcesses(long sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var c = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(c, null, $"""
            SELECT {PostgresRows.ProcessColumns} FROM processes p
            WHERE (p.pid, p.start, p.boot) IN (
                SELECT process_pid, process_start, boot FROM events WHERE session_id = @s
                UNION SELECT parent_pid, parent_start, parent_boot FROM events WHERE session_id = @s)
            ORDER BY p.first_seen_us;
            """);
        command.Parameters.AddWithValue("s", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var p = PostgresRows.ReadProcess(reader);
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

    /// <summary>The generic path: the streamed events and processes through the contract's serializer, then the session's ends.</summary>
    public SessionExport ExportSession(long sessionId) => new(
        SessionJsonArrays.Events(StreamSessionEvents(sessionId, CancellationToken.None).Select(e => e.Event)),
        SessionJsonArrays.Processes(StreamSessionProcesses(sessionId, CancellationToken.None)),
        () => Task.Run<IReadOnlyCollection<ProcessEnd>>(() => [.. ReadSessionEnds(sessionId).Values]));

    public IReadOnlyList<GapInfo> ReadGaps(long sessionId) =>
        Read(
            "SELECT session_id, collector_id, time_us, serial_gaps, kernel_lost FROM gaps WHERE session_id = @s AND session_id NOT IN (SELECT id FROM sessions WHERE importing) ORDER BY id;",
            r => new GapInfo(r.GetInt64(0), r.GetString(1), UnixMicros.ToTime(r.GetInt64(2)), r.GetInt64(3), r.GetInt64(4)),
            ("s", sessionId));

    public ProcessInfo? ReadProcess(ProcessKey key) =>
        Read($"SELECT {PostgresRows.ProcessColumns} FROM processes p WHERE {KeyMatch};", PostgresRows.ReadProcess, KeyParameters(key)).FirstOrDefault();

    public IReadOnlyList<ProcessInfo> ReadAncestry(ProcessKey key, int maxDepth) =>
        Read(
            $"""
            WITH RECURSIVE chain (pid, start, boot, depth) AS (
                SELECT p.parent_pid, p.parent_start, p.parent_boot, 1 FROM processes p
                WHERE {KeyMatch} AND (p.parent_pid <> 0 OR p.parent_boot <> '')
                UNION ALL
                SELECT p.parent_pid, p.parent_start, p.parent_boot, chain.depth + 1 FROM processes p
                JOIN chain ON p.pid = chain.pid AND p.start = chain.start AND p.boot = chain.boot
                WHERE (p.parent_pid <> 0 OR p.parent_boot <> '') AND chain.depth < @maxDepth)
            SELECT {PostgresRows.ProcessColumns} FROM chain JOIN processes p ON p.pid = chain.pid AND p.start = chain.start AND p.boot = chain.boot
            ORDER BY chain.depth;
            """,
            PostgresRows.ReadProcess,
            [.. KeyParameters(key), ("maxDepth", maxDepth)]);

    public IReadOnlyList<ProcessInfo> ReadDescendants(ProcessKey key, int maxDepth, int max) =>
        Read(
            $"""
            {DescendantTree}
            SELECT {PostgresRows.ProcessColumns} FROM tree JOIN processes p ON p.pid = tree.pid AND p.start = tree.start AND p.boot = tree.boot
            WHERE tree.depth > 0 ORDER BY tree.depth, p.first_seen_us LIMIT @max;
            """,
            PostgresRows.ReadProcess,
            [.. KeyParameters(key), ("maxDepth", maxDepth), ("max", max)]);

    public IReadOnlyList<ProcessInfo> FindProcesses(int? pid, string? exe, long? sessionId, int max)
    {
        using var c = _dataSource.OpenConnection();
        using var command = Command(c, null, string.Empty);
        var where = new StringBuilder("WHERE true");
        if (pid is { } p)
        {
            where.Append(" AND p.pid = @pid");
            command.Parameters.AddWithValue("pid", p);
        }

        if (!string.IsNullOrEmpty(exe))
        {
            where.Append(" AND strpos(lower(p.exe), lower(@exe)) > 0");
            command.Parameters.AddWithValue("exe", exe);
        }

        if (sessionId is { } s)
        {
            where.Append("""
                 AND @s NOT IN (SELECT id FROM sessions WHERE importing) AND (p.pid, p.start, p.boot) IN (
                    SELECT process_pid, process_start, boot FROM events WHERE session_id = @s
                    UNION SELECT parent_pid, parent_start, parent_boot FROM events WHERE session_id = @s)
                """);
            command.Parameters.AddWithValue("s", s);
        }

        command.CommandText = $"SELECT {PostgresRows.ProcessColumns} FROM processes p {where} ORDER BY p.last_seen_us DESC LIMIT @max;";
        command.Parameters.AddWithValue("max", max);
        return ReadAll(command, PostgresRows.ReadProcess);
    }

    public long CountEvents() =>
        Read($"SELECT COUNT(*) FROM events e WHERE {Visible};", r => r.GetInt64(0))[0];

    private static (string, object)[] KeyParameters(ProcessKey key) => [("kpid", key.Pid), ("kstart", key.StartTicks), ("kboot", key.Boot)];

    private static void AddKey(NpgsqlCommand command, ProcessKey key)
    {
        foreach (var (name, value) in KeyParameters(key))
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static SessionInfo ReadSession(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Name = r.GetString(1),
        Started = UnixMicros.ToTime(r.GetInt64(2)),
        Ended = r.IsDBNull(3) ? null : UnixMicros.ToTime(r.GetInt64(3)),
        Host = r.GetString(4),
        Origin = r.GetString(5),
        EventCount = r.GetInt64(6),
    };
}
