using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>What the feed and the API filter events by; null members do not filter.</summary>
public sealed record ExecFilter
{
    public static readonly ExecFilter None = new();

    /// <summary>Substring of the executable path, case-insensitive.</summary>
    public string? Exe { get; init; }

    /// <summary>Substring of any argument, case-insensitive.</summary>
    public string? ArgvText { get; init; }

    public uint? Uid { get; init; }

    public int? Pid { get; init; }

    /// <summary>Only execs by this process or by any process below it.</summary>
    public ProcessKey? DescendantOf { get; init; }

    public long? SessionId { get; init; }

    /// <summary>Only execs on this host (exactly, as the collector names it).</summary>
    public string? Host { get; init; }

    public bool Matches(StoredExec stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var e = stored.Event;
        var x = e.Exec;
        if (SessionId is { } session && stored.SessionId != session)
        {
            return false;
        }

        if (Host is { } host && !string.Equals(x.Host, host, StringComparison.Ordinal))
        {
            return false;
        }

        if (Pid is { } pid && x.Pid != pid)
        {
            return false;
        }

        if (Uid is { } uid && x.Uid != uid)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(Exe) && !x.Exe.Contains(Exe, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(ArgvText) && !AnyContains(x.Argv, ArgvText))
        {
            return false;
        }

        if (DescendantOf is { } root && e.Process != root && !AncestryContains(e, root))
        {
            return false;
        }

        return true;
    }

    private static bool AnyContains(IReadOnlyList<string> argv, string text)
    {
        foreach (var a in argv)
        {
            if (a.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AncestryContains(Domain.Events.ExecEvent e, ProcessKey root)
    {
        foreach (var a in e.Ancestry)
        {
            if (a.Key == root)
            {
                return true;
            }
        }

        return false;
    }
}
