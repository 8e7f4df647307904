namespace ExecDashboard.Audit.Sources;

/// <summary>
/// The hold a <see cref="RawAuditRecordBlock"/> has on bytes its source lent it: released once
/// the block has been read, so the source can read into those bytes again.
/// </summary>
public interface IRecordBlockLease
{
    /// <summary>Called once per block, after its last record was used; no record of it may be touched afterwards.</summary>
    void Release();
}
