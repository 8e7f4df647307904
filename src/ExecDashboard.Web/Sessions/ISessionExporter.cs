using System.IO.Pipelines;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions;

/// <summary>Writes one session in the export format, without holding it all in memory.</summary>
public interface ISessionExporter
{
    /// <summary>Media type of the download.</summary>
    string ContentType { get; }

    /// <summary>Writes the session into <paramref name="output"/> (a response's body), flushing as it goes.</summary>
    Task WriteAsync(SessionInfo session, ExecStore store, PipeWriter output, CancellationToken cancellationToken);
}
