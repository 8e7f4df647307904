using ExecDashboard.Contracts;

namespace ExecDashboard.Shipping.Spool;

/// <summary>One batch as kept in the spool: its sequence number, its events and the process ends cut with them.</summary>
internal sealed record SpooledBatch(long Seq, IReadOnlyList<ExecEventMessage> Events, IReadOnlyList<ProcessExitMessage> Exits)
{
    public SpooledBatch(long seq, IReadOnlyList<ExecEventMessage> events)
        : this(seq, events, [])
    {
    }

    /// <summary>Events and ends: what the loss counters count.</summary>
    public int ItemCount => Events.Count + Exits.Count;
}
