using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Reads one import format as the session format's items (header, events, processes, gaps),
/// lazily: the store consumes them inside one transaction, so an error half-way stores nothing.
/// Errors are <see cref="ImportFormatException"/> or <see cref="SessionFormatException"/>, each
/// with one clear sentence.
/// </summary>
public interface ISessionImporter
{
    /// <summary>True when the first bytes of a file look like this format.</summary>
    bool Recognizes(ReadOnlySpan<byte> head);

    /// <summary>Reads the items; whatever is read but cannot become an item is counted in <paramref name="skipped"/>.</summary>
    IEnumerable<SessionItem> Read(Stream input, ImportSkips skipped, CancellationToken cancellationToken);
}

public sealed class ImportFormatException : Exception
{
    public ImportFormatException()
    {
    }

    public ImportFormatException(string message)
        : base(message)
    {
    }

    public ImportFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
