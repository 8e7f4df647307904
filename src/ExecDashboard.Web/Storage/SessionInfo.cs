namespace ExecDashboard.Web.Storage;

/// <summary>A named recording. <see cref="Ended"/> is null while it records.</summary>
public sealed record SessionInfo
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Started { get; init; }

    public DateTimeOffset? Ended { get; init; }

    public required string Host { get; init; }

    /// <summary><c>live</c> for recordings from collectors, <c>import</c> for imported files.</summary>
    public required string Origin { get; init; }

    public required long EventCount { get; init; }
}
