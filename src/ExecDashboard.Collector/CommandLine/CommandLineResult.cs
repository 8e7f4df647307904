namespace ExecDashboard.Collector.CommandLine;

/// <summary>What the command line asked for: help, a usage error, or settings for the options binder.</summary>
public sealed record CommandLineResult
{
    public bool HelpRequested { get; init; }

    /// <summary>One sentence saying what is wrong with the command line, or null.</summary>
    public string? Error { get; init; }

    /// <summary>Configuration keys (<c>Collector:Source</c>, ...) and their values.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
