namespace ExecDashboard.Domain.Validation;

/// <summary>
/// An exec (or a session part) breaks <see cref="ExecLimits"/>. <see cref="Field"/> names the
/// offending field as a path (<c>argv[3]</c>, <c>ancestry[2].key</c>); the message is one sentence.
/// </summary>
public sealed class ExecValidationException : Exception
{
    public ExecValidationException()
    {
    }

    public ExecValidationException(string message)
        : base(message)
    {
    }

    public ExecValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ExecValidationException(string field, string problem)
        : base($"'{field}' {problem}")
    {
        Field = field;
    }

    public string? Field { get; }
}
