using System.Threading.Channels;
using ExecDashboard.Audit.Sources;

// The namespace is "Files", not the folder's "File": a namespace ExecDashboard.Sources.File would
// hide System.IO.File from every sibling namespace (Proc, Netlink) that calls File.ReadAllText.
namespace ExecDashboard.Sources.Files;

/// <summary>
/// Reads an auditd log (RAW or ENRICHED lines) and, with <c>follow</c>, keeps reading as auditd
/// appends, the way <c>tail -F</c> does: a rotation (the name now points at another inode) is
/// noticed, the old file is read to its end and the new one from its start; a truncation
/// restarts at the beginning. Needs no privilege beyond read access to the file.
/// </summary>
public sealed class AuditLogFileSource : IAuditRecordSource
{
    private readonly string _path;
    private readonly bool _follow;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;

    public AuditLogFileSource(string path, bool follow, TimeProvider timeProvider, TimeSpan? pollInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _path = path;
        _follow = follow;
        _timeProvider = timeProvider;
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200);
    }

    public string Name => Path.GetFileName(_path);

    public AuditSourceCounters Counters { get; } = new();

    /// <summary>Number of times a followed log was rotated or truncated under us.</summary>
    public int Reopens { get; private set; }

    public async Task RunAsync(ChannelWriter<RawAuditRecordBlock> writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        try
        {
            var reader = OpenOrThrow();
            try
            {
                await ReadAsync(reader, writer, cancellationToken);
            }
            finally
            {
                reader.Dispose();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a followed log.
        }
        finally
        {
            writer.TryComplete();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task ReadAsync(LogLineReader reader, ChannelWriter<RawAuditRecordBlock> writer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var readAny = await ReadOrThrowAsync(reader, writer, cancellationToken);
            if (!_follow)
            {
                await WriteUnterminatedAsync(reader, writer, cancellationToken);
                return;
            }

            if (readAny)
            {
                continue;
            }

            if (reader.RestartIfTruncated())
            {
                Reopens++;
                continue;
            }

            var current = FileIdentity.OfPath(_path);
            if (current is not null && current != reader.Identity)
            {
                // Rotated: what we hold is the old file, now complete. Take its last bytes, then switch.
                await ReadOrThrowAsync(reader, writer, cancellationToken);
                await WriteUnterminatedAsync(reader, writer, cancellationToken);
                reader.Dispose();
                reader = OpenOrThrow();
                Reopens++;
                continue;
            }

            await Task.Delay(_pollInterval, _timeProvider, cancellationToken);
        }
    }

    private async ValueTask WriteUnterminatedAsync(LogLineReader reader, ChannelWriter<RawAuditRecordBlock> writer, CancellationToken cancellationToken)
    {
        var last = reader.TakeUnterminatedLine();
        var records = last.CountRecords();
        if (records > 0)
        {
            Counters.AddRecords(records);
            await writer.WriteAsync(last, cancellationToken);
        }
        else
        {
            last.Release();
        }
    }

    private async ValueTask<bool> ReadOrThrowAsync(LogLineReader reader, ChannelWriter<RawAuditRecordBlock> writer, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLinesAsync(writer, Counters, cancellationToken);
        }
        catch (IOException e)
        {
            throw new AuditSourceException($"Reading the audit log {_path} failed: {e.Message}", e);
        }
    }

    private LogLineReader OpenOrThrow()
    {
        if (Directory.Exists(_path))
        {
            throw new AuditSourceException($"The audit log {_path} is a directory; give the path of a log file such as /var/log/audit/audit.log.");
        }

        try
        {
            return LogLineReader.Open(_path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new AuditSourceException($"Cannot read the audit log {_path}: permission denied (run as root or as a member of the log's group, often adm).", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AuditSourceException($"The audit log {_path} does not exist.", e);
        }
        catch (IOException e)
        {
            throw new AuditSourceException($"Cannot open the audit log {_path}: {e.Message}", e);
        }
    }
}
