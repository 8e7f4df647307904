using System.Buffers;
using System.Text.Json;
using ExecDashboard.Contracts;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The events of one session with ids in a range, read straight from their rows into the JSON
/// objects of the export's <c>events</c> array (<see cref="ExecEventMessage"/>'s shape), on a
/// connection of its own: one of the readers <see cref="SessionEventJson"/> runs side by side.
/// </summary>
/// <remarks>
/// Going through <see cref="Microsoft.Data.Sqlite.SqliteDataReader"/> (two calls into SQLite per
/// column), the domain event, its message and the serializer cost a quarter of the dashboard's CPU
/// for a download. Here columns come through SQLite's C API (<see cref="RawStatement"/>) and each
/// event is written by hand, in the contract's order (<see cref="JsonOutput"/>): each text once
/// encoded (<see cref="ExportTexts"/>), times formatted once per second (<see cref="IsoTimeJson"/>),
/// and an ancestry chain, which a storm's events share, written once per chain, then copied.
/// <c>SessionEventJsonTests</c> and the store contract tests hold the output equal to the
/// contract serializer's for every shape of event.
/// </remarks>
internal sealed class EventRangeJson : IDisposable
{
    private const int CacheSlots = 16_384;

    private const string Select = """
        SELECT e.time_us, e.serial, e.host, e.pid, e.ppid, e.uid, e.auid, e.comm, e.exe, e.argv, a.text, e.argv_bytes, e.argv_truncated,
               e.cwd, e.success, e.exit, e.syscall, e.arch, p.boot, p.pid, p.start, e.parent, e.parent_image
        FROM events e LEFT JOIN processes p ON p.id = e.process LEFT JOIN texts a ON a.id = e.argv
        WHERE e.session_id = ?1 AND e.id > ?2 AND e.id <= ?3 AND ?1 NOT IN (SELECT id FROM sessions WHERE importing = 1)
        ORDER BY e.id;
        """;

    // An image with the process that ran it, as ReadCaches.Chain reads a link of an ancestry.
    private const string ImageSelect = """
        SELECT i.parent_image, i.exe, i.argv, a.text, i.provenance, p.boot, p.pid, p.start
        FROM images i JOIN processes p ON p.id = i.process LEFT JOIN texts a ON a.id = i.argv
        WHERE i.id = ?1;
        """;

    private static readonly byte[] NoAncestry = "[]"u8.ToArray();

    private readonly IsoTimeJson _time = new(sinceEpoch: true);
    private readonly RawStatement _events;
    private readonly RawStatement _process;
    private readonly RawStatement _image;
    private readonly ExportTexts _texts;

    // This reader's: parents as key strings (null: none) and ancestry chains as arrays, by id.
    private readonly SlotCache<byte[]?> _parents = new(CacheSlots);
    private readonly SlotCache<byte[]> _chains = new(CacheSlots);

    // Whether the range begun has written an event.
    private bool _any;

    /// <param name="connection">This reader's; disposed with it.</param>
    public EventRangeJson(ExportConnection connection, long sessionId)
    {
        Connection = connection;
        _texts = new ExportTexts(connection);
        _process = new RawStatement(connection.Handle, "SELECT boot, pid, start FROM processes WHERE id = ?1;");
        _image = new RawStatement(connection.Handle, ImageSelect);
        _events = new RawStatement(connection.Handle, Select);
        _events.Bind(1, sessionId);
    }

    public ExportConnection Connection { get; }

    /// <summary>Starts on the events with ids in (<paramref name="after"/>, <paramref name="last"/>]; <see cref="WriteNext"/> writes them.</summary>
    public void Begin(long after, long last)
    {
        _events.Reset();
        _events.Bind(2, after);
        _events.Bind(3, last);
        _any = false;
    }

    /// <summary>
    /// Writes the range's next events into <paramref name="output"/>, in order and separated by
    /// commas (one before the first unless it opens the range), until at least
    /// <paramref name="bytes"/> are written; false once the range's last event is.
    /// </summary>
    public bool WriteNext(IBufferWriter<byte> output, int bytes)
    {
        var events = _events;
        var json = new JsonOutput(output);
        var more = true;
        while (json.Written < bytes)
        {
            if (!events.Step())
            {
                events.Reset();
                more = false;
                break;
            }

            if (_any)
            {
                json.Write((byte)',');
            }

            WriteEvent(events, ref json);
            _any = true;
        }

        json.Commit();
        return more;
    }

    public void Dispose()
    {
        _events.Dispose();
        _process.Dispose();
        _image.Dispose();
        _texts.Dispose();
        Connection.Dispose();
    }

    private void WriteEvent(RawStatement r, ref JsonOutput o)
    {
        var texts = _texts;
        o.Write("{\"time\":"u8);
        o.Write(_time.Quoted(r.Int64(0)));
        o.Write(",\"serial\":"u8);
        o.Write(unchecked((ulong)r.Int64(1)));
        o.Write(",\"host\":"u8);
        o.Write(texts.String(r.Int64(2)));
        o.Write(",\"pid\":"u8);
        o.Write((int)r.Int64(3));
        o.Write(",\"ppid\":"u8);
        o.Write((int)r.Int64(4));
        o.Write(",\"uid\":"u8);
        o.Write(unchecked((uint)(int)r.Int64(5)));
        o.Write(",\"auid\":"u8);
        o.Write(unchecked((uint)(int)r.Int64(6)));
        o.Write(",\"comm\":"u8);
        o.Write(texts.String(r.Int64(7)));
        o.Write(",\"exe\":"u8);
        o.Write(texts.String(r.Int64(8)));
        o.Write(",\"argv\":"u8);
        o.Write(texts.List(r.Int64(9), r, 10));
        if (!r.IsNull(11))
        {
            o.Write(",\"argvBytes\":"u8);
            o.Write(ArgvBytes(r.Utf8(11)));
        }

        if (r.Int64(12) != 0)
        {
            o.Write(",\"argvTruncated\":true"u8);
        }

        o.Write(",\"cwd\":"u8);
        o.Write(texts.String(r.Int64(13)));
        o.Write(r.Int64(14) != 0 ? ",\"success\":true"u8 : ",\"success\":false"u8);
        o.Write(",\"exit\":"u8);
        o.Write(r.Int64(15));
        o.Write(",\"syscall\":"u8);
        o.Write(texts.String(r.Int64(16)));
        o.Write(",\"arch\":"u8);
        o.Write(texts.String(r.Int64(17)));
        o.Write(",\"process\":"u8);
        if (r.IsNull(18))
        {
            o.Write("\"\""u8);
        }
        else
        {
            o.WriteKey(texts.String(r.Int64(18)), (int)r.Int64(19), r.Int64(20));
        }

        if (Parent(r.Int64(21)) is { } parent)
        {
            o.Write(",\"parent\":"u8);
            o.Write(parent);
        }

        o.Write(",\"ancestry\":"u8);
        o.Write(Chain(r.Int64(22)));
        o.Write((byte)'}');
    }

    /// <summary>The arguments' raw bytes (rare: only when some argument is not UTF-8) as base64 strings, as the serializer writes a byte array.</summary>
    private byte[] ArgvBytes(ReadOnlySpan<byte> stored)
    {
        var w = _texts.Scratch();
        w.WriteStartArray();
        foreach (var bytes in JsonSerializer.Deserialize<byte[][]>(stored) ?? [])
        {
            w.WriteBase64StringValue(bytes);
        }

        w.WriteEndArray();
        return _texts.Written(w);
    }

    /// <summary>The parent's key as a JSON string; null when the event names no parent.</summary>
    private byte[]? Parent(long processId)
    {
        if (processId == 0)
        {
            return null;
        }

        if (_parents.TryGet(processId, out var json))
        {
            return json;
        }

        var process = _process;
        process.Bind(1, processId);
        if (process.Step())
        {
            var boot = _texts.String(process.Int64(0));
            var pid = (int)process.Int64(1);

            // The key of no process is no parent.
            json = pid == 0 && boot.Length == 2 ? null : Written((ref JsonOutput o) => o.WriteKey(boot, pid, process.Int64(2)));
        }

        process.Reset();
        _parents.Set(processId, json);
        return json;
    }

    /// <summary>
    /// The ancestry array from <paramref name="image"/> up, nearest first, as the contract writes a
    /// list of <see cref="AncestorMessage"/>: written once per image, each link in front of its parent image's array.
    /// </summary>
    private byte[] Chain(long image)
    {
        if (image == 0)
        {
            return NoAncestry;
        }

        if (_chains.TryGet(image, out var json))
        {
            return json;
        }

        var r = _image;
        r.Bind(1, image);
        if (!r.Step())
        {
            r.Reset();
            _chains.Set(image, NoAncestry);
            return NoAncestry;
        }

        var parentImage = r.Int64(0);
        var link = Written((ref JsonOutput o) =>
        {
            var pid = (int)r.Int64(6);
            o.Write("{\"key\":"u8);
            o.WriteKey(_texts.String(r.Int64(5)), pid, r.Int64(7));
            o.Write(",\"pid\":"u8);
            o.Write(pid);
            o.Write(",\"exe\":"u8);
            o.Write(_texts.String(r.Int64(1)));
            o.Write(",\"argv\":"u8);
            o.Write(_texts.List(r.Int64(2), r, 3));
            o.Write(",\"provenance\":"u8);
            o.Write(ProvenanceJson.Of(r.Int64(4)));
            o.Write((byte)'}');
        });
        r.Reset();

        // Parent images always have smaller ids (written root first), so this ends.
        var above = parentImage != 0 && parentImage < image ? Chain(parentImage) : NoAncestry;
        // [link] or [link,...above], above's own bracket closing both.
        var more = above.Length > NoAncestry.Length;
        json = new byte[1 + link.Length + (more ? above.Length : 1)];
        json[0] = (byte)'[';
        link.CopyTo(json, 1);
        if (more)
        {
            json[link.Length + 1] = (byte)',';
            above.AsSpan(1).CopyTo(json.AsSpan(link.Length + 2));
        }
        else
        {
            json[^1] = (byte)']';
        }

        _chains.Set(image, json);
        return json;
    }

    private delegate void JsonWriting(ref JsonOutput output);

    /// <summary>What <paramref name="write"/> writes, as an array of its own (to keep).</summary>
    private static byte[] Written(JsonWriting write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var o = new JsonOutput(buffer);
        write(ref o);
        o.Commit();
        return buffer.WrittenSpan.ToArray();
    }
}
