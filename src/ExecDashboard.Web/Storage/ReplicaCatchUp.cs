namespace ExecDashboard.Web.Storage;

/// <summary>
/// How far below the newest id it has seen a replica looks again when it catches up on what other
/// replicas committed while it was not listening.
/// </summary>
/// <remarks>
/// Event ids are drawn from one sequence when a row is inserted, but become visible when its
/// transaction commits: a batch that commits after one already seen may hold lower ids. Such a
/// batch was in flight when the listening connection went away, and each replica has at most one
/// live batch and one import chunk in flight (one ingest writer; imports in chunks), each of at
/// most 2,048 ids. 65,536 ids cover sixteen replicas doing both at once; what is looked at again
/// and already seen is skipped by id.
/// </remarks>
internal static class ReplicaCatchUp
{
    public const int Overlap = 65_536;
}
