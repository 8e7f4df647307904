using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// The batch being cut: each exec is encoded (by <see cref="CompactExecsWriter"/>) as it arrives,
/// so the batch's size is known exactly and no event waits, as an object, for the batch to be
/// cut. Measured on a 300,000-exec replay, estimating each event's size from its strings was
/// about a tenth of the batching loop's CPU; encoding at the cut also kept every event of the
/// batch in a list and copied them to an array first.
/// </summary>
/// <remarks>Not thread-safe: one per batching loop, reused from one batch to the next.</remarks>
internal sealed class PendingBatch
{
    // A process end's share of a batch's size; ends are few, so an estimate does.
    private const int ExitBytes = 64;

    private readonly CompactExecsWriter _execs = new();
    private readonly ArrayBufferWriter<byte> _head = new(16 * 1024);
    private readonly List<ProcessExitMessage> _exits = [];
    private long _exitBytes;

    public int EventCount => _execs.Count;

    public int ExitCount => _exits.Count;

    /// <summary>Events and ends.</summary>
    public int Count => EventCount + _exits.Count;

    /// <summary>The events' encoded size, plus an estimate for the ends.</summary>
    public long Bytes => _execs.Bytes + _exitBytes;

    public void Add(ExecEvent execEvent) => _execs.Add(execEvent);

    public void Add(ProcessExitMessage exit)
    {
        _exits.Add(exit);
        _exitBytes += ExitBytes + exit.Process.Length;
    }

    /// <summary>
    /// The spooled body of the batch (see <see cref="SpoolPayload"/>) in two parts, valid until
    /// the next change: a head with the ends and the execs' tables, then the encoded execs. Two
    /// parts so that the execs are not copied once more to be joined.
    /// </summary>
    public (ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Events) Body()
    {
        _head.ResetWrittenCount();
        SpoolPayload.WriteFrame(_execs, _exits, _head);
        return (_head.WrittenMemory, _execs.Execs);
    }

    public void Clear()
    {
        _execs.Clear();
        _exits.Clear();
        _exitBytes = 0;
    }
}
