using ExecDashboard.Contracts;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Interim export document (format <c>execdashboard-session</c>, version 0): the session, its
/// events in their hub wire form, and its gaps. The domain's versioned session format replaces it.
/// </summary>
internal sealed class InterimSessionDocument
{
    public const string FormatName = "execdashboard-session";

    public string Format { get; set; } = FormatName;

    public int Version { get; set; }

    public InterimSessionHeader? Session { get; set; }

    public List<ExecEventMessage>? Events { get; set; }

    public List<InterimGap>? Gaps { get; set; }
}

internal sealed class InterimSessionHeader
{
    public string Name { get; set; } = string.Empty;

    public string Host { get; set; } = string.Empty;

    public DateTimeOffset? Started { get; set; }

    public DateTimeOffset? Ended { get; set; }
}

internal sealed class InterimGap
{
    public string CollectorId { get; set; } = string.Empty;

    public DateTimeOffset Time { get; set; }

    public long SerialGaps { get; set; }

    public long KernelLost { get; set; }
}
