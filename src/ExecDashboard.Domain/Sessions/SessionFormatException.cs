namespace ExecDashboard.Domain.Sessions;

/// <summary>
/// A session document was rejected. <see cref="Exception.Message"/> is one sentence for the user;
/// <see cref="Section"/>, <see cref="Index"/> and <see cref="ByteOffset"/> say where.
/// </summary>
public sealed class SessionFormatException : Exception
{
    public SessionFormatException()
    {
    }

    public SessionFormatException(string message)
        : base(message)
    {
    }

    public SessionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionFormatException(string message, string? section, long? index, long byteOffset, Exception? innerException = null)
        : base(message, innerException)
    {
        Section = section;
        Index = index;
        ByteOffset = byteOffset;
    }

    /// <summary><c>events</c>, <c>processes</c>, <c>gaps</c>, <c>session</c>, or null for the document itself.</summary>
    public string? Section { get; }

    /// <summary>Zero-based index of the offending element within <see cref="Section"/>.</summary>
    public long? Index { get; }

    /// <summary>Offset in the stream where the offending value (or the reading) started.</summary>
    public long ByteOffset { get; }
}
