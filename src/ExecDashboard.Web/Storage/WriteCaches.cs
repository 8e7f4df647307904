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

    public BoundedCache<ProcessKey, long> Processes { get; } = new(capacity);

    public BoundedCache<ImageKey, long> Images { get; } = new(capacity);

    public void Clear()
    {
        Texts.Clear();
        Processes.Clear();
        Images.Clear();
    }
}
