using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Re-opens a raw auditd log (<c>type=... msg=audit(...)</c> lines, with or without <c>node=</c>)
/// as a session: the audit pipeline assembles the execs, a replay process table gives them
/// lineage (keys name the log, not a boot; parents known only by ppid are inferred), bounded by
/// <see cref="DashboardOptions.ImportLineageProcesses"/>.
/// </summary>
public sealed class AuditLogImporter(TimeProvider time, IOptions<DashboardOptions> options) : ISessionImporter
{
    private const string ReplayName = "audit-log";

    public bool Recognizes(ReadOnlySpan<byte> head)
    {
        var text = head.TrimStart(" \t\r\n"u8);
        return text.StartsWith("type="u8) || text.StartsWith("node="u8);
    }

    public IEnumerable<SessionItem> Read(Stream input, ImportSkips skipped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(skipped);
        var lineage = new ReplayLineage(ReplayName, options.Value.ImportLineageProcesses);
        var ready = new Queue<ExecEvent>();
        var pipeline = new AuditExecPipeline(Environment.MachineName, new EventAssemblerOptions(), time, exec => ready.Enqueue(lineage.Attach(exec)));
        DateTimeOffset? first = null;
        var host = string.Empty;
        long index = 0;
        var headerSent = false;

        var lines = new LineReader(input, skipped, cancellationToken);
        var reading = true;
        while (reading)
        {
            if (lines.TryRead(out var line))
            {
                pipeline.Push(new RawAuditRecord(0, line));
            }
            else
            {
                // The end of the log: events still open are complete now.
                reading = false;
                pipeline.Flush();
                skipped.UnreadableLines = pipeline.MalformedRecords;
                skipped.IncompleteExecs = pipeline.ExecveWithoutSyscall;
            }

            while (ready.TryDequeue(out var e))
            {
                if (!headerSent)
                {
                    headerSent = true;
                    first = e.Exec.Time;
                    host = e.Exec.Host;
                    yield return new SessionHeaderItem(Header(host, first.Value));
                }

                yield return new SessionEventItem(index++, e);
            }
        }

        if (!headerSent)
        {
            throw new ImportFormatException(
                $"The audit log holds no exec event ({pipeline.Records} records read, {pipeline.MalformedRecords} malformed).");
        }

        if (pipeline.SerialGaps > 0)
        {
            yield return new SessionGapItem(0, new SessionGap { Kind = SessionGapKind.SerialGap, Time = first!.Value, Count = pipeline.SerialGaps, Host = host });
        }
    }

    private static SessionHeader Header(string host, DateTimeOffset start) => new()
    {
        Id = ReplayName,
        Name = $"Audit log {start:yyyy-MM-dd HH:mm}",
        Start = start,
        Host = host,
        Exporter = new SessionExporter("auditd", "log"),
    };

    /// <summary>
    /// Lines as bytes: arguments may not be UTF-8, so no text decoding happens here. A line longer
    /// than any record the kernel or auditd writes is skipped up to its newline and counted,
    /// never buffered whole (one line could otherwise be the entire upload).
    /// </summary>
    /// <remarks>
    /// Each line is a slice of the one read buffer, valid until the next line is asked for: the
    /// parser copies what it keeps into its own record, so a copy per line here (a quarter of
    /// what an import allocated) bought nothing. A class with one method rather than an iterator:
    /// two interface calls per line were measurable over the 1.5 million lines of a 300,000-exec log.
    /// </remarks>
    private sealed class LineReader(Stream input, ImportSkips skipped, CancellationToken cancellationToken)
    {
        private readonly byte[] _buffer = new byte[AuditRecordParser.MaxRecordLength + 1];
        private int _start;
        private int _filled;
        private bool _discarding;
        private bool _endOfInput;
        private bool _done;

        public bool TryRead(out ReadOnlyMemory<byte> line)
        {
            while (!_done)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _filled - _start);
                if (newline >= 0)
                {
                    var begin = _start;
                    var keep = !_discarding;
                    _discarding = false;
                    _start = newline + 1;
                    if (keep)
                    {
                        line = _buffer.AsMemory(begin, newline - begin).TrimEnd((byte)'\r');
                        return true;
                    }

                    continue;
                }

                if (_endOfInput)
                {
                    // Last line without a newline.
                    _done = true;
                    if (!_discarding && _filled > _start)
                    {
                        line = _buffer.AsMemory(_start, _filled - _start);
                        return true;
                    }

                    break;
                }

                Fill();
            }

            line = default;
            return false;
        }

        /// <summary>Keeps the unfinished line, drops it when it fills the buffer, and reads more.</summary>
        private void Fill()
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _filled - _start);
            _filled -= _start;
            _start = 0;
            if (_filled == _buffer.Length)
            {
                // Longer than a record can be: drop what is buffered and the rest of the line.
                if (!_discarding)
                {
                    skipped.OversizedLines++;
                }

                _discarding = true;
                _filled = 0;
            }

            var read = input.Read(_buffer, _filled, _buffer.Length - _filled);
            if (read > 0 || _filled > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            _filled += read;
            _endOfInput = read == 0;
        }
    }
}
