using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// What the writer learnt about ids (text, process, image) across batches, so a storm's repeated
/// strings and ancestors cost a dictionary look-up, not a query. Owned by the single writer;
/// cleared when a transaction rolls back, because the ids it handed out then no longer exist.
/// </summary>
internal sealed class WriteCaches(int capacity)
{
    public BoundedCache<string, long> Texts { get; } = new(capacity, StringComparer.Ordinal);

    /// <summary>
    /// Process ids, hashed in start order (<see cref="SequentialKeyComparer"/>): a replay adds a
    /// new process on nearly every exec and asks for it again a few rows later, and with
    /// <see cref="ProcessKey.GetHashCode"/> each of those landed somewhere else in a table of
    /// thousands, a cache miss apiece.
    /// </summary>
    public BoundedCache<ProcessKey, long> Processes { get; } = new(capacity, SequentialKeyComparer.Instance);

    public BoundedCache<ImageKey, long> Images { get; } = new(capacity);

    /// <summary>
    /// What stored events share in memory (the hot window holds thousands of them): one instance
    /// of each string, argument list and ancestry chain, keyed by content or by row id.
    /// </summary>
    public BoundedCache<string, string> Strings { get; } = new(capacity, StringComparer.Ordinal);

    /// <summary>
    /// Argument lists by content: their text id and the instance events share. Looked up for
    /// every exec, so without building the list's JSON text first (<see cref="ArgvJson"/>): that
    /// and hashing it for <see cref="Texts"/> were 4.3% of a 300,000-exec replay's dashboard CPU
    /// (perf), though all but 2,443 of its lists had been seen before.
    /// </summary>
    public BoundedCache<IReadOnlyList<string>, SharedArgv> Argvs { get; } = new(capacity, ArgvContent.Comparer);

    public BoundedCache<long, IReadOnlyList<Domain.Processes.Ancestor>> Chains { get; } = new(capacity);

    public void Clear()
    {
        Texts.Clear();
        Processes.Clear();
        Images.Clear();
        Strings.Clear();
        Argvs.Clear();
        Chains.Clear();
    }
}
