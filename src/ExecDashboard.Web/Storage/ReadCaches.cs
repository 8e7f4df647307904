using System.Globalization;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Read side of the normalized tables: text ids to strings, argument lists and ancestor chains,
/// each resolved once and then shared by every event that names it (so a storm's events in the
/// hot window share one ancestry array). Bounded by entries; only committed rows are ever read,
/// and those never change, so nothing here goes stale.
/// </summary>
internal sealed class ReadCaches(int capacity)
{
    private readonly BoundedCache<long, string> _texts = new(capacity);
    private readonly BoundedCache<long, string[]> _argvs = new(capacity);
    private readonly BoundedCache<long, Ancestor[]> _chains = new(capacity);

    public string Text(SqliteConnection c, long id)
    {
        if (id == 0)
        {
            return string.Empty;
        }

        if (_texts.TryGet(id, out var text))
        {
            return text;
        }

        using var command = SqliteEventStore.Command(c, null, "SELECT text FROM texts WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        text = command.ExecuteScalar() as string ?? string.Empty;
        _texts.Set(id, text);
        return text;
    }

    public string[] Argv(SqliteConnection c, long id)
    {
        if (id == 0)
        {
            return [];
        }

        if (_argvs.TryGet(id, out var argv))
        {
            return argv;
        }

        argv = ArgvJson.Read(Text(c, id));
        _argvs.Set(id, argv);
        return argv;
    }

    public ProcessKey Key(SqliteConnection c, long boot, int pid, long start) => new(Text(c, boot), pid, start);

    /// <summary>The chain from <paramref name="image"/> up to the root, nearest first.</summary>
    public Ancestor[] Chain(SqliteConnection c, long image)
    {
        if (image == 0)
        {
            return [];
        }

        if (_chains.TryGet(image, out var chain))
        {
            return chain;
        }

        using var command = SqliteEventStore.Command(c, null, """
            SELECT i.parent_image, i.exe, i.argv, i.provenance, p.boot, p.pid, p.start
            FROM images i JOIN processes p ON p.id = i.process WHERE i.id = $id;
            """);
        command.Parameters.AddWithValue("$id", image);
        using (var r = command.ExecuteReader())
        {
            if (!r.Read())
            {
                return [];
            }

            var parentImage = r.GetInt64(0);
            var self = new Ancestor
            {
                Key = Key(c, r.GetInt64(4), r.GetInt32(5), r.GetInt64(6)),
                Pid = r.GetInt32(5),
                Exe = Text(c, r.GetInt64(1)),
                Argv = Argv(c, r.GetInt64(2)),
                Provenance = (Provenance)r.GetInt32(3),
            };
            r.Close();

            // Parent images always have smaller ids (written root first), so this ends.
            var above = parentImage != 0 && parentImage < image ? Chain(c, parentImage) : [];
            chain = [self, .. above];
        }

        _chains.Set(image, chain);
        return chain;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_texts.Count} texts, {_argvs.Count} argument lists, {_chains.Count} chains");
}
