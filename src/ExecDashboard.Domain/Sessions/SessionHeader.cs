namespace ExecDashboard.Domain.Sessions;

/// <summary>What a session export says about itself, before its events.</summary>
public sealed record SessionHeader
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Start { get; init; }

    /// <summary>Null while the session is still recording.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Host the session was recorded on.</summary>
    public required string Host { get; init; }

    public required SessionExporter Exporter { get; init; }
}

/// <summary>The program that wrote an export, for diagnosing odd files.</summary>
public sealed record SessionExporter(string Name, string Version);
