using System.Threading.Channels;

namespace ExecDashboard.Audit.Sources;

/// <summary>
/// Where audit records come from: the kernel (netlink) or an auditd log file. A source only
/// moves bytes; parsing and assembly happen downstream so every source shares them.
/// </summary>
public interface IAuditRecordSource : IAsyncDisposable
{
    /// <summary>Short name for logs and the dashboard, for example <c>netlink</c> or the file name.</summary>
    string Name { get; }

    /// <summary>
    /// Delivers records, in blocks, into <paramref name="writer"/> until <paramref name="cancellationToken"/>
    /// fires or the input ends (a file that is not followed). Completes the writer on return.
    /// Throws <see cref="AuditSourceException"/> with a user-facing sentence on failure.
    /// </summary>
    Task RunAsync(ChannelWriter<RawAuditRecordBlock> writer, CancellationToken cancellationToken);

    /// <summary>Counters the source itself keeps (kernel lost counter, queue drops).</summary>
    AuditSourceCounters Counters { get; }
}
