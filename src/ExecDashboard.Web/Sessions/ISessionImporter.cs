using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions;

/// <summary>A recording read from a file, its events read lazily (the store consumes them in one transaction).</summary>
public sealed record ImportedRecording(string Name, string Host, DateTimeOffset? Started, DateTimeOffset? Ended, IEnumerable<ExecEvent> Events, IEnumerable<GapInfo> Gaps);

/// <summary>Reads one import format. Errors are <see cref="ImportFormatException"/> with one clear sentence.</summary>
public interface ISessionImporter
{
    /// <summary>True when the first bytes of a file look like this format.</summary>
    bool Recognizes(ReadOnlySpan<byte> head);

    ImportedRecording Read(Stream input, string fallbackName);
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
