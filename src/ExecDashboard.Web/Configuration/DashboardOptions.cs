namespace ExecDashboard.Web.Configuration;

/// <summary>Everything a user can set, bound from the <c>Dashboard</c> configuration section.</summary>
/// <remarks>
/// Defaults are safe: loopback only, a token required, bounded memory and request sizes.
/// Paths left empty are resolved under <see cref="DataDirectory"/> by <see cref="DashboardPaths"/>.
/// </remarks>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Port on 127.0.0.1 when no <c>--urls</c> is given; 0 picks a free port.</summary>
    public int Port { get; set; } = 5150;

    /// <summary>Where the database and token files live; default <c>$XDG_DATA_HOME/execdashboard</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The SQLite database file (with <see cref="Store"/> <c>sqlite</c>); default <c>&lt;data&gt;/execdashboard.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Which engine stores exec data: <c>sqlite</c> (a file in the data folder) or <c>postgres</c> (a server).</summary>
    public string Store { get; set; } = Storage.StoreEngines.Sqlite;

    /// <summary>
    /// Npgsql connection string of the PostgreSQL database (with <see cref="Store"/> <c>postgres</c>);
    /// also read from <c>EXECDASH_CONNECTION_STRING</c>, so a password need not be on a command line.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Most connections the dashboard opens to PostgreSQL at once (the pool's size).</summary>
    public int StorePoolSize { get; set; } = 20;

    /// <summary>
    /// This dashboard's name among replicas sharing one PostgreSQL database (the collectors page
    /// says which replica each collector ships to); default: machine name and process id.
    /// </summary>
    public string? ReplicaName { get; set; }

    /// <summary>Days of exec events kept (counted from each exec's time); 0 keeps everything.</summary>
    public int RetentionDays { get; set; }

    /// <summary>File holding the browser/API token when <c>EXECDASH_TOKEN</c> is not set.</summary>
    public string? TokenFile { get; set; }

    /// <summary>File holding the collector token when <c>EXECDASH_COLLECTOR_TOKEN</c> is not set.</summary>
    public string? CollectorTokenFile { get; set; }

    /// <summary>
    /// A fleet's named collector tokens, one <c>name token</c> line each (see
    /// <see cref="Authentication.CollectorTokenList"/>); when set, only these open the collector hub,
    /// and removing a line revokes it without a restart.
    /// </summary>
    public string? CollectorTokensFile { get; set; }

    /// <summary>Events kept in memory for the live views, and as many process ends; older ones stay in the database only.</summary>
    public int HotWindowCapacity { get; set; } = 50_000;

    /// <summary>
    /// Entries of each store cache (text ids, process ids, ancestor chains; one set for writing, one
    /// for reading): what keeps a storm's repeated strings and ancestors from costing a query each.
    /// </summary>
    public int StoreCacheEntries { get; set; } = 20_000;

    /// <summary>
    /// Processes a raw audit log's import keeps believed alive for lineage (a log tells of no
    /// exits); past it the least recently active one counts as ended. A few hundred bytes each;
    /// the same default as a collector's replay.
    /// </summary>
    public int ImportLineageProcesses { get; set; } = Domain.Processes.ReplayLineage.DefaultMaxProcesses;

    /// <summary>Largest SignalR message the collector hub accepts, in bytes.</summary>
    public long MaxHubMessageBytes { get; set; } = 8 * 1024 * 1024;

    public int MaxEventsPerBatch { get; set; } = Contracts.CollectorHubContract.DefaultMaxEventsPerBatch;

    /// <summary>Batches waiting for SQLite; a full queue makes collectors wait (back-pressure), it drops nothing.</summary>
    public int IngestQueueCapacity { get; set; } = 64;

    /// <summary>Largest accepted import body, in bytes.</summary>
    public long MaxImportBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Most processes a trace export builds in memory (a few hundred bytes each, held until the
    /// session's last exec is read); a session naming more is refused with one sentence.
    /// </summary>
    public int MaxTraceProcesses { get; set; } = 250_000;

    /// <summary>Execs per second (over 10 s) at which a parent raises a storm alert.</summary>
    public double StormThresholdPerSecond { get; set; } = 50;

    /// <summary>
    /// Serve plain HTTP on a non-loopback address anyway (a warning is printed); otherwise such a
    /// listener needs HTTPS. See <see cref="NetworkExposure"/>.
    /// </summary>
    public bool AllowPlainHttpOnNetwork { get; set; }

    /// <summary>
    /// Shortest interval between two change notifications to one subscriber. The first change after
    /// a quiet interval is told at once; under a steady stream each exec waits up to this long, so it
    /// is most of a storm's exec-to-row latency. 50 ms measured (deploy/bench-latency.sh) storm p90
    /// 88 to 132 ms against 110 to 146 ms at 100 ms, for a feed redraw of about 2 ms twice as often.
    /// </summary>
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}
