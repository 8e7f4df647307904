using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Mapping;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Audit.Pipeline;

/// <summary>
/// What the collector feeds: raw records in, <see cref="ExecObservation"/>s out through the callback.
/// Parse, assemble, map; bad records are counted and skipped, never fatal.
/// Not thread-safe by design: one pipeline thread calls <see cref="Push"/>, <see cref="Tick"/> and
/// <see cref="Flush"/>, so the hot path takes no locks. Counters may be read from that thread only.
/// </summary>
public sealed class AuditExecPipeline
{
    private readonly AuditRecordParser _parser;
    private readonly EventAssembler _assembler;
    private readonly ExecObservationMapper _mapper;
    private readonly Action<ExecObservation> _onExec;

    public AuditExecPipeline(
        string hostName,
        EventAssemblerOptions options,
        TimeProvider timeProvider,
        Action<ExecObservation> onExec)
    {
        _mapper = new ExecObservationMapper(hostName);
        _onExec = onExec;
        // The mapper copies what it keeps out of an event's records, so events and records are
        // recycled: the assembler hands completed records back and the parser refills them.
        var spareRecords = new Stack<AuditRecord>();
        _parser = new AuditRecordParser(spareRecords);
        _assembler = new EventAssembler(options, timeProvider, OnEvent, spareRecords);
    }

    /// <summary>Records pushed, including malformed and blank ones.</summary>
    public long Records { get; private set; }

    public long MalformedRecords { get; private set; }

    /// <summary>Blank records (an empty log line): skipped, not an error.</summary>
    public long BlankRecords { get; private set; }

    /// <summary>Why the last malformed record was rejected, for a log line or the dashboard.</summary>
    public AuditParseError LastParseError { get; private set; }

    public long EventsCompleted => _assembler.EventsCompleted;

    public long ExecsEmitted { get; private set; }

    public long SerialGaps => _assembler.SerialGaps;

    public long LateRecords => _assembler.LateRecords;

    public long ExecveWithoutSyscall => _mapper.ExecveWithoutSyscall;

    public void Push(RawAuditRecord raw)
    {
        Records++;
        var result = _parser.Parse(raw);
        if (result.Record is { } record)
        {
            _assembler.Add(record);
        }
        else if (result.Error == AuditParseError.Empty)
        {
            BlankRecords++;
        }
        else
        {
            MalformedRecords++;
            LastParseError = result.Error;
        }
    }

    /// <summary>Completes events that waited past the wall-clock timeout; call about once a second for live sources.</summary>
    public void Tick(DateTimeOffset now) => _assembler.Tick(now);

    /// <summary>End of input: every open event is completed and emitted.</summary>
    public void Flush() => _assembler.Flush();

    /// <summary>Losses as the domain reports them; the source adds what only it knows.</summary>
    public LossReport ToLossReport(AuditSourceCounters? source = null) => new()
    {
        KernelLost = source?.KernelLost,
        QueueDrops = source?.QueueDrops ?? 0,
        SerialGaps = SerialGaps,
        MalformedRecords = MalformedRecords,
    };

    private void OnEvent(AuditEvent ev)
    {
        if (_mapper.Map(ev) is { } exec)
        {
            ExecsEmitted++;
            _onExec(exec);
        }
    }
}
