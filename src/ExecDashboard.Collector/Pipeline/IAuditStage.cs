using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>Raw audit records in, exec observations out (parser + assembler + mapper).</summary>
internal interface IAuditStage
{
    /// <summary>Feeds one record; completed execs are handed to <paramref name="emit"/>.</summary>
    void Push(RawAuditRecord record, Action<ExecObservation> emit);

    /// <summary>Lets time pass: events that waited too long for their last record are completed.</summary>
    void Tick(DateTimeOffset now, Action<ExecObservation> emit);

    /// <summary>End of input: completes everything still pending.</summary>
    void Flush(Action<ExecObservation> emit);

    long MalformedRecords { get; }

    long SerialGaps { get; }
}
