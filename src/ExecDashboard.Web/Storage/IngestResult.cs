namespace ExecDashboard.Web.Storage;

/// <summary>What committing one batch did.</summary>
public sealed record IngestResult(long SessionId, int Stored, int Duplicates);
