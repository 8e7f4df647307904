using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Assembly;

/// <summary>Why an event was declared complete.</summary>
public enum EventCompletion : byte
{
    /// <summary>An EOE record arrived (the kernel ends every multi-record syscall event with one).</summary>
    EndOfEvent,

    /// <summary>PROCTITLE after SYSCALL: the kernel writes it last before EOE (kernel/auditsc.c audit_log_exit()).</summary>
    Proctitle,

    /// <summary>A user-space record (1100-1299, 2100-2999): one record is the whole event.</summary>
    Standalone,

    /// <summary>Later records' timestamps passed the event's time plus the timeout.</summary>
    StreamTimeout,

    /// <summary>The wall clock passed the event's arrival plus the timeout (live sources gone quiet).</summary>
    WallClockTimeout,

    /// <summary>Too many events were in flight; the oldest was completed to bound memory.</summary>
    InFlightCap,

    /// <summary>The input ended.</summary>
    Flush,
}

/// <summary>The records that share one (node, serial, timestamp), in arrival order.</summary>
public sealed class AuditEvent
{
    internal AuditEvent(string? node, uint serial, AuditTimestamp time, DateTimeOffset arrived) =>
        Reset(node, serial, time, arrived);

    public string? Node { get; private set; }

    public uint Serial { get; private set; }

    public AuditTimestamp Time { get; private set; }

    /// <summary>Wall-clock time the first record arrived (from the injected TimeProvider).</summary>
    public DateTimeOffset Arrived { get; private set; }

    public List<AuditRecord> Records { get; } = new(4);

    public EventCompletion CompletedBy { get; internal set; }

    internal bool HasSyscall { get; set; }

    /// <summary>The assembler's record count when this event last received a record.</summary>
    internal long LastRecordNumber { get; set; }

    // Links of the assembler's arrival-ordered list of open events: kept in the event itself, so
    // opening an event allocates no list node.
    internal AuditEvent? Older { get; set; }

    internal AuditEvent? Newer { get; set; }

    internal bool Open { get; set; }

    /// <summary>Makes a completed event (its records already taken back) a new, empty one.</summary>
    internal void Reset(string? node, uint serial, AuditTimestamp time, DateTimeOffset arrived)
    {
        Node = node;
        Serial = serial;
        Time = time;
        Arrived = arrived;
        Records.Clear();
        CompletedBy = default;
        HasSyscall = false;
        LastRecordNumber = 0;
    }

    public AuditRecord? Find(ushort type)
    {
        foreach (var record in Records)
        {
            if (record.Type == type)
            {
                return record;
            }
        }

        return null;
    }
}
