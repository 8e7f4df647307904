namespace ExecDashboard.Audit.Parsing;

/// <summary>A parsed record, or why there is none. Failure costs no allocation.</summary>
public readonly record struct AuditParseResult(AuditRecord? Record, AuditParseError Error)
{
    public bool Succeeded => Record is not null;

    public string Reason => AuditParseErrors.Describe(Error);

    public static AuditParseResult Fail(AuditParseError error) => new(null, error);
}
