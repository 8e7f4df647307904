namespace ExecDashboard.Web.Storage;

/// <summary>
/// Version 2: normalized and compact. Every repeated string (host, boot, comm, exe, cwd, syscall,
/// arch, an argument list as JSON) is stored once in <c>texts</c> and referred to by id; a process
/// is one row; an ancestor as a child saw it (a process running one image, started from its own
/// parent image) is one row of <c>images</c>, so an event names its parent image and its whole
/// ancestry follows from there instead of being copied into every row. Id 0 means "none" (the
/// empty text, an unknown process, no parent image), so unique constraints see no NULLs.
/// </summary>
internal static class SchemaV2
{
    public const string Tables = """
        CREATE TABLE texts (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL UNIQUE);

        -- A process key is (boot, pid, start); pid first so a look-up by pid alone is an index seek.
        CREATE TABLE processes (
            id INTEGER PRIMARY KEY,
            boot INTEGER NOT NULL,
            pid INTEGER NOT NULL,
            start INTEGER NOT NULL,
            ppid INTEGER NOT NULL,
            parent INTEGER NOT NULL,
            exe INTEGER NOT NULL,
            argv INTEGER NOT NULL,
            provenance INTEGER NOT NULL,
            first_seen_us INTEGER NOT NULL,
            last_seen_us INTEGER NOT NULL,
            UNIQUE (pid, start, boot));
        CREATE INDEX processes_parent ON processes (parent);

        CREATE TABLE images (
            id INTEGER PRIMARY KEY,
            process INTEGER NOT NULL,
            exe INTEGER NOT NULL,
            argv INTEGER NOT NULL,
            provenance INTEGER NOT NULL,
            parent_image INTEGER NOT NULL,
            UNIQUE (process, parent_image, exe, argv, provenance));

        -- Identity: (origin, host, boot, serial, time_us), as in version 1. uid and auid are stored
        -- as signed 32-bit numbers, so the unset auid (4294967295) takes one byte, not six.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL,
            origin INTEGER NOT NULL,
            host INTEGER NOT NULL,
            boot INTEGER NOT NULL,
            serial INTEGER NOT NULL,
            time_us INTEGER NOT NULL,
            process INTEGER NOT NULL,
            parent INTEGER NOT NULL,
            parent_image INTEGER NOT NULL,
            pid INTEGER NOT NULL,
            ppid INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            auid INTEGER NOT NULL,
            comm INTEGER NOT NULL,
            exe INTEGER NOT NULL,
            argv INTEGER NOT NULL,
            argv_bytes TEXT,
            cwd INTEGER NOT NULL,
            success INTEGER NOT NULL,
            exit INTEGER NOT NULL,
            syscall INTEGER NOT NULL,
            arch INTEGER NOT NULL,
            -- 1 when some argument could not be read whole (a lost, cut or oversized EXECVE
            -- record), so a partial argv never passes for the complete command.
            argv_truncated INTEGER NOT NULL DEFAULT 0,
            UNIQUE (origin, host, boot, serial, time_us));
        CREATE INDEX events_session_id ON events (session_id, id);
        CREATE INDEX events_process ON events (process, id);
        """;
}
