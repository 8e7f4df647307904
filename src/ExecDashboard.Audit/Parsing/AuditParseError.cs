namespace ExecDashboard.Audit.Parsing;

/// <summary>Why a record could not be parsed; <see cref="AuditParseErrors.Describe"/> gives the sentence.</summary>
public enum AuditParseError : byte
{
    None,
    Empty,
    MissingType,
    UnknownTypeName,
    MissingHeader,
    BadTimestamp,
    BadSerial,
    UnterminatedQuote,
    TooLong,
}

public static class AuditParseErrors
{
    public static string Describe(AuditParseError error) => error switch
    {
        AuditParseError.None => "no error",
        AuditParseError.Empty => "the record is empty",
        AuditParseError.MissingType => "the line has no type= field and the source gave no record type",
        AuditParseError.UnknownTypeName => "the type= value is not a type name (A-Z, 0-9, _), UNKNOWN[n] or a number",
        AuditParseError.MissingHeader => "the record has no msg=audit(seconds.millis:serial) header",
        AuditParseError.BadTimestamp => "the audit(...) header has no valid seconds.millis timestamp",
        AuditParseError.BadSerial => "the audit(...) header has no valid 32-bit serial number",
        AuditParseError.UnterminatedQuote => "a quoted value is not closed (the record was probably truncated)",
        AuditParseError.TooLong => "the record is longer than any the kernel or auditd writes",
        _ => "unknown parse error",
    };
}
