using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Process keys as the writer's dictionaries compare them: hashed by pid and start only, equal
/// when all three parts are. The record's own hash also hashes the boot text, and the keys of
/// one batch nearly always share one boot: measured, hashing it was most of the cost of the
/// writer's process look-ups, which every event makes several of.
/// </summary>
internal sealed class ProcessKeyComparer : IEqualityComparer<ProcessKey>
{
    public static readonly ProcessKeyComparer Instance = new();

    public bool Equals(ProcessKey x, ProcessKey y) =>
        x.Pid == y.Pid && x.StartTicks == y.StartTicks && string.Equals(x.Boot, y.Boot, StringComparison.Ordinal);

    public int GetHashCode(ProcessKey obj) => HashCode.Combine(obj.Pid, obj.StartTicks);
}
