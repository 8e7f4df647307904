using System.Collections;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// A batch's execs as <see cref="CompactExecsReader"/> reads format 2: domain events, converted
/// as they were read, up to the first exec that could not be converted, whose refusal is kept
/// for the validator to give in order (events before it may break the limits first). As a list
/// of messages (what <see cref="CollectorBatch.Events"/> holds) each exec is mapped back on demand.
/// </summary>
public sealed class DecodedExecs : IReadOnlyList<ExecEventMessage>
{
    private readonly int _count;

    internal DecodedExecs(IReadOnlyList<ExecEvent> events, int count, Exception? refusal)
    {
        Events = events;
        _count = count;
        Refusal = refusal;
    }

    /// <summary>The execs in order, up to the refused one.</summary>
    public IReadOnlyList<ExecEvent> Events { get; }

    /// <summary>
    /// Why the exec after <see cref="Events"/> could not be converted, in the words
    /// <see cref="ExecEventMessageMapping.ToDomain(ExecEventMessage, ExecEventConversion)"/> uses
    /// (a <see cref="FormatException"/>, <see cref="OverflowException"/> or <see cref="ArgumentException"/>); null when every exec was.
    /// </summary>
    public Exception? Refusal { get; }

    /// <summary>The execs the batch holds, converted or not.</summary>
    public int Count => _count;

    /// <summary>The exec at <paramref name="index"/> as its message; the refused exec and those after it throw its <see cref="Refusal"/>.</summary>
    public ExecEventMessage this[int index] =>
        index < Events.Count ? Events[index].ToMessage()
        : index < _count && Refusal is not null ? throw Refusal
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch holds {_count} execs.");

    public IEnumerator<ExecEventMessage> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
