namespace ExecDashboard.Collector.Options;

/// <summary>Everything a user can set on the collector; bound from the command line (section <c>Collector</c>).</summary>
public sealed class CollectorOptions
{
    public const string SectionName = "Collector";

    /// <summary>The audit rule key of the rules the netlink source installs (<c>auditctl -k</c>).</summary>
    public const string DefaultKey = "execdash";

    // See QueueBlocks.
    private const int FileQueueBlocks = 8;

    public SourceKind Source { get; set; } = SourceKind.Netlink;

    /// <summary>The auditd log to read with <see cref="SourceKind.File"/>.</summary>
    public string? File { get; set; }

    /// <summary>Keep reading the log as it grows and across rotations.</summary>
    public bool Follow { get; set; }

    public OutputFormat Output { get; set; } = OutputFormat.Auto;

    public string Key { get; set; } = DefaultKey;

    /// <summary>Records the queue between the source and the pipeline thread holds; beyond it a live source drops and counts.</summary>
    public int QueueCapacity { get; set; } = 1 << 16;

    /// <summary>
    /// Blocks of records the queue actually holds. The kernel source hands over one record per
    /// block, so for it this is <see cref="QueueCapacity"/>. A log file waits when the queue is
    /// full, so it needs only enough to keep the pipeline busy: a block is the lines of one read,
    /// at most 64 KiB unless a single line is longer, so 8 blocks hold about 3,000 average lines.
    /// A full queue of a replay is long-lived garbage: every record in it survives a collection
    /// or two and is copied (measured: most of a replay's GC work).
    /// </summary>
    public int QueueBlocks => Source == SourceKind.File ? FileQueueBlocks : QueueCapacity;

    /// <summary>
    /// Processes a log replay keeps for lineage (see <c>ReplayLineageStage</c>): the ones seen most
    /// recently. A log has no exits, so this is what bounds a replay's memory whatever the log's size.
    /// </summary>
    public int ReplayProcesses { get; set; } = Domain.Processes.ReplayLineage.DefaultMaxProcesses;

    /// <summary>How often loss counters are written to the log while they change.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The output format actually used, resolving <see cref="OutputFormat.Auto"/>.</summary>
    public OutputFormat ResolveOutput(bool stdoutIsTerminal) =>
        Output != OutputFormat.Auto ? Output
        : Ships ? OutputFormat.None
        : stdoutIsTerminal ? OutputFormat.Text : OutputFormat.Jsonl;

    /// <summary>
    /// The dashboard replicas to push events to (<c>--server URL1,URL2,...</c>), in the order they are
    /// tried; empty to write standard output only.
    /// </summary>
    public List<Uri> Servers { get; set; } = [];

    /// <summary>True when events go to a dashboard (<c>--server</c>).</summary>
    public bool Ships => Servers.Count > 0;

    /// <summary>A file holding the dashboard's collector token; <c>EXECDASH_COLLECTOR_TOKEN</c> wins over it.</summary>
    public string? TokenFile { get; set; }

    /// <summary>PEM file of CA certificates trusted for an <c>https://</c> --server (<c>--ca-file</c>).</summary>
    public string? CaFile { get; set; }

    /// <summary>Folder of the on-disk spool of events the dashboard has not acknowledged yet.</summary>
    public string? SpoolDirectory { get; set; }
}
