using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions;

/// <summary>Writes one session in the export format to a stream, without holding it all in memory.</summary>
public interface ISessionExporter
{
    /// <summary>Media type of the download.</summary>
    string ContentType { get; }

    Task WriteAsync(SessionInfo session, ExecStore store, Stream output, CancellationToken cancellationToken);
}
