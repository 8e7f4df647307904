using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Validation;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// Reads and validates a session export (format version 1 or 2) from a stream without holding
/// the document in memory.
/// </summary>
/// <remarks>
/// <see cref="ReadAsync"/> yields each part as soon as it is validated: the header first, then
/// events, processes, gaps and process ends in document order. The document is only known to be good when the
/// enumeration ends without a <see cref="SessionFormatException"/>, so a caller must stage what it
/// receives (one database transaction, a new session not yet visible) and commit only at the end;
/// on an exception it discards everything: nothing of a rejected document is applied.
/// <see cref="ReadAllAsync"/> does exactly that in memory.
/// </remarks>
public sealed class SessionReader(SessionReadLimits? limits = null)
{
    private static ContractJsonContext Json => ContractJsonContext.Default;

    private readonly SessionReadLimits _limits = limits ?? new SessionReadLimits();

    public async Task<SessionDocument> ReadAllAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        SessionHeader? header = null;
        var events = new List<ExecEvent>();
        var processes = new List<SessionProcess>();
        var gaps = new List<SessionGap>();
        var exits = new List<ProcessEnd>();
        await foreach (var item in ReadAsync(stream, cancellationToken))
        {
            switch (item)
            {
                case SessionHeaderItem h: header = h.Header; break;
                case SessionEventItem e: events.Add(e.Event); break;
                case SessionProcessItem p: processes.Add(p.Process); break;
                case SessionGapItem g: gaps.Add(g.Gap); break;
                case SessionExitItem x: exits.Add(x.End); break;
            }
        }

        return new SessionDocument(header!, events, processes, gaps, exits);
    }

    public async IAsyncEnumerable<SessionItem> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var cursor = new JsonStreamCursor(stream, _limits);
        await ExpectAsync(cursor, JsonTokenType.StartObject, "The document is not a JSON object, so it is not a session export.", cancellationToken);
        await ExpectHeaderFieldAsync(cursor, cancellationToken);

        SessionJson.SessionDto? session = null;
        SessionJson.ExporterDto? exporter = null;
        var headerYielded = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            if (!await cursor.ReadAsync(cancellationToken))
            {
                throw Fail("The document ends early: its closing brace is missing.", null, null, cursor.Offset);
            }

            if (cursor.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = cursor.Text!;
            if (!seen.Add(name))
            {
                throw Fail($"The document has '{name}' twice.", name, null, cursor.Offset);
            }

            switch (name)
            {
                case "session":
                    session = await ReadObjectAsync(cursor, Json.SessionDto, name, cancellationToken);
                    break;
                case "exporter":
                    exporter = await ReadObjectAsync(cursor, Json.ExporterDto, name, cancellationToken);
                    break;
                case "events" or "processes" or "gaps" or "exits":
                    if (!headerYielded)
                    {
                        if (session is null || exporter is null)
                        {
                            throw Fail($"'session' and 'exporter' must come before '{name}'.", name, null, cursor.Offset);
                        }

                        headerYielded = true;
                        yield return new SessionHeaderItem(ToHeader(session, exporter));
                    }

                    await ExpectAsync(cursor, JsonTokenType.StartArray, $"'{name}' must be an array.", cancellationToken);
                    var items = name switch
                    {
                        "events" => ReadEventsAsync(cursor, cancellationToken),
                        "processes" => ReadProcessesAsync(cursor, cancellationToken),
                        "gaps" => ReadGapsAsync(cursor, cancellationToken),
                        _ => ReadExitsAsync(cursor, cancellationToken),
                    };
                    await foreach (var item in items)
                    {
                        yield return item;
                    }

                    break;
                default:
                    // Unknown fields are additions of a later minor writer; readers skip them.
                    await cursor.SkipValueAsync(cancellationToken);
                    break;
            }
        }

        if (await cursor.ReadAsync(cancellationToken))
        {
            throw Fail("The document has data after its closing brace.", null, null, cursor.Offset);
        }

        if (!seen.Contains("events"))
        {
            throw Fail("The document has no 'events' array.", "events", null, cursor.Offset);
        }
    }

    private async IAsyncEnumerable<SessionItem> ReadEventsAsync(JsonStreamCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long index = 0; ; index++)
        {
            var message = await ReadElementAsync(cursor, Json.ExecEventMessage, "events", index, _limits.MaxEvents, cancellationToken);
            if (message is null)
            {
                yield break;
            }

            ExecEvent exec;
            try
            {
                CheckArguments(message.Argv, message.ArgvBytes);
                foreach (var ancestor in message.Ancestry)
                {
                    // Element nullability is not checked by the serializer, only properties are.
                    CheckArguments(ancestor?.Argv ?? throw new JsonException("an ancestry entry is null."), null);
                }

                exec = SessionJson.FromMessage(message);
            }
            catch (JsonException e)
            {
                throw Fail($"Event {index} (at byte {cursor.Offset}) is invalid: {e.Message}", "events", index, cursor.Offset, e);
            }

            yield return new SessionEventItem(index, exec);
        }
    }

    private async IAsyncEnumerable<SessionItem> ReadProcessesAsync(JsonStreamCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long index = 0; ; index++)
        {
            var dto = await ReadElementAsync(cursor, Json.ProcessDto, "processes", index, _limits.MaxProcesses, cancellationToken);
            if (dto is null)
            {
                yield break;
            }

            SessionProcess process;
            try
            {
                CheckArguments(dto.Argv, null);
                process = SessionJson.FromDto(dto);
            }
            catch (JsonException e)
            {
                throw Fail($"Process {index} (at byte {cursor.Offset}) is invalid: {e.Message}", "processes", index, cursor.Offset, e);
            }

            yield return new SessionProcessItem(index, process);
        }
    }

    private async IAsyncEnumerable<SessionItem> ReadGapsAsync(JsonStreamCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long index = 0; ; index++)
        {
            var gap = await ReadElementAsync(cursor, Json.GapDto, "gaps", index, _limits.MaxGaps, cancellationToken);
            if (gap is null)
            {
                yield break;
            }

            yield return new SessionGapItem(index, SessionJson.FromDto(gap));
        }
    }

    private async IAsyncEnumerable<SessionItem> ReadExitsAsync(JsonStreamCursor cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long index = 0; ; index++)
        {
            var message = await ReadElementAsync(cursor, Json.ProcessExitMessage, "exits", index, _limits.MaxExits, cancellationToken);
            if (message is null)
            {
                yield break;
            }

            ProcessEnd end;
            try
            {
                end = message.ToProcessEnd();
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or ExecValidationException)
            {
                throw Fail($"Exit {index} (at byte {cursor.Offset}) is invalid: {e.Message}", "exits", index, cursor.Offset, e);
            }

            yield return new SessionExitItem(index, end);
        }
    }

    /// <summary>The next element of a section, or null at the section's end.</summary>
    private static async ValueTask<T?> ReadElementAsync<T>(JsonStreamCursor cursor, JsonTypeInfo<T> typeInfo, string section, long index, long max, CancellationToken cancellationToken)
        where T : class
    {
        (bool Found, T? Value) element;
        try
        {
            element = await cursor.ReadElementAsync(typeInfo, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Fail($"Element {index} of '{section}' (at byte {cursor.Offset}) is invalid: {e.Message}", section, index, cursor.Offset, e);
        }

        if (!element.Found)
        {
            return null;
        }

        if (index >= max)
        {
            throw Fail($"'{section}' has more than the limit of {max} elements.", section, index, cursor.Offset);
        }

        return element.Value ?? throw Fail($"Element {index} of '{section}' (at byte {cursor.Offset}) is null.", section, index, cursor.Offset);
    }

    private static async ValueTask<T> ReadObjectAsync<T>(JsonStreamCursor cursor, JsonTypeInfo<T> typeInfo, string section, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var (_, value) = await cursor.ReadElementAsync(typeInfo, cancellationToken);
            return value ?? throw new JsonException("it is null or missing.");
        }
        catch (JsonException e)
        {
            throw Fail($"'{section}' (at byte {cursor.Offset}) is invalid: {e.Message}", section, null, cursor.Offset, e);
        }
    }

    private static async ValueTask ExpectHeaderFieldAsync(JsonStreamCursor cursor, CancellationToken cancellationToken)
    {
        // format and version come first so that a foreign or future file is refused before anything else is read.
        await ExpectPropertyAsync(cursor, "format", cancellationToken);
        if (!await cursor.ReadAsync(cancellationToken) || cursor.TokenType != JsonTokenType.String || cursor.Text != SessionJson.FormatName)
        {
            throw Fail($"The document is not an ExecDashboard session: 'format' is not \"{SessionJson.FormatName}\".", null, null, cursor.Offset);
        }

        await ExpectPropertyAsync(cursor, "version", cancellationToken);
        if (!await cursor.ReadAsync(cancellationToken) || cursor.TokenType != JsonTokenType.Number
            || cursor.Int64 is < SessionJson.OldestReadableVersion or > SessionJson.Version)
        {
            throw Fail(
                $"The session format version is not supported: this dashboard reads versions {SessionJson.OldestReadableVersion} to {SessionJson.Version}.",
                null,
                null,
                cursor.Offset);
        }
    }

    private static async ValueTask ExpectPropertyAsync(JsonStreamCursor cursor, string name, CancellationToken cancellationToken)
    {
        if (!await cursor.ReadAsync(cancellationToken) || cursor.TokenType != JsonTokenType.PropertyName || cursor.Text != name)
        {
            throw Fail($"The document is not an ExecDashboard session: it must start with '{name}'.", null, null, cursor.Offset);
        }
    }

    private static async ValueTask ExpectAsync(JsonStreamCursor cursor, JsonTokenType type, string message, CancellationToken cancellationToken)
    {
        if (!await cursor.ReadAsync(cancellationToken) || cursor.TokenType != type)
        {
            throw Fail(message, null, null, cursor.Offset);
        }
    }

    private void CheckArguments(IReadOnlyList<string> argv, IReadOnlyList<byte[]>? argvBytes)
    {
        if (argv.Count > _limits.MaxArguments)
        {
            throw new JsonException($"it has {argv.Count} arguments, more than the limit of {_limits.MaxArguments}.");
        }

        for (var i = 0; i < argv.Count; i++)
        {
            if (argv[i] is null)
            {
                throw new JsonException($"argument {i} is null.");
            }

            if (Encoding.UTF8.GetByteCount(argv[i]) > _limits.MaxArgumentBytes)
            {
                throw new JsonException($"argument {i} is larger than the limit of {_limits.MaxArgumentBytes} bytes.");
            }
        }

        if (argvBytes is null)
        {
            return;
        }

        if (argvBytes.Count != argv.Count)
        {
            throw new JsonException($"'argvBytes' has {argvBytes.Count} entries but 'argv' has {argv.Count}.");
        }

        for (var i = 0; i < argvBytes.Count; i++)
        {
            if (argvBytes[i] is null)
            {
                throw new JsonException($"'argvBytes' entry {i} is null.");
            }

            if (argvBytes[i].Length > _limits.MaxArgumentBytes)
            {
                throw new JsonException($"argument {i} is larger than the limit of {_limits.MaxArgumentBytes} bytes.");
            }
        }
    }

    private static SessionHeader ToHeader(SessionJson.SessionDto session, SessionJson.ExporterDto exporter) => new()
    {
        Id = session.Id,
        Name = session.Name,
        Start = session.Start,
        End = session.End,
        Host = session.Host,
        Exporter = new SessionExporter(exporter.Name, exporter.Version),
    };

    private static SessionFormatException Fail(string message, string? section, long? index, long offset, Exception? inner = null) =>
        new(message, section, index, offset, inner);
}
