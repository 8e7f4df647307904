namespace ExecDashboard.Collector.Options;

/// <summary>How exec events are written to standard output.</summary>
public enum OutputFormat
{
    /// <summary>Text when standard output is a terminal, JSON lines when it is a pipe or a file.</summary>
    Auto,

    /// <summary>One line per exec: <c>exe(pid)[args] -- parent(ppid)[args] -- ...</c>.</summary>
    Text,

    /// <summary>One JSON object per exec per line.</summary>
    Jsonl,

    /// <summary>Nothing on standard output: events only go to the dashboard (<c>--server</c>).</summary>
    None,
}
