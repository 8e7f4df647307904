namespace ExecDashboard.Web.Storage;

/// <summary>Losses a collector reported: growth of its serial-gap and kernel-lost counters.</summary>
public sealed record GapInfo(long SessionId, string CollectorId, DateTimeOffset Time, long SerialGaps, long KernelLost);
