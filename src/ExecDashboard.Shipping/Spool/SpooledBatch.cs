using ExecDashboard.Contracts;

namespace ExecDashboard.Shipping.Spool;

/// <summary>One batch as kept in the spool: its sequence number and its events.</summary>
internal sealed record SpooledBatch(long Seq, IReadOnlyList<ExecEventMessage> Events);
