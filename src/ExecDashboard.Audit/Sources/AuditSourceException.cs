namespace ExecDashboard.Audit.Sources;

/// <summary>A source failed in a way the user must act on; the message is one clear sentence.</summary>
public sealed class AuditSourceException : Exception
{
    public AuditSourceException(string message)
        : base(message)
    {
    }

    public AuditSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AuditSourceException()
    {
    }
}
