using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Shipping.Spool;
using MessagePack;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ExecDashboard.Shipping.Wire;

/// <summary>
/// Writes the hub invocation that pushes one spooled batch, as SignalR's MessagePack protocol
/// frames it (a length prefix, then <c>[1, headers, invocationId, target, [batch], streamIds]</c>,
/// see the SignalR hub protocol specification) with the batch as the contractless resolver writes
/// a <see cref="CollectorBatch"/>: a map keyed by member names, in declaration order. The spooled
/// events go in as their spooled bytes, copied once, straight into the connection.
/// </summary>
internal static class BatchInvocationWriter
{
    private const int MaxLengthPrefixBytes = 5;

    public static void Write(InvocationMessage invocation, CollectorBatch batch, SpooledEvents events, IBufferWriter<byte> output)
    {
        // What comes before and after the events is small; written first, so the length is known.
        var head = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(head);
        writer.WriteArrayHeader(6);
        writer.Write(HubProtocolConstants.InvocationMessageType);
        writer.WriteMapHeader(0);
        if (string.IsNullOrEmpty(invocation.InvocationId))
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(invocation.InvocationId);
        }

        writer.Write(invocation.Target);
        writer.WriteArrayHeader(1);
        writer.WriteMapHeader(6);
        writer.Write(nameof(CollectorBatch.CollectorId));
        writer.Write(batch.CollectorId);
        writer.Write(nameof(CollectorBatch.Host));
        writer.Write(batch.Host);
        writer.Write(nameof(CollectorBatch.BatchSeq));
        writer.Write(batch.BatchSeq);
        writer.Write(nameof(CollectorBatch.Events));
        writer.Flush();

        var tail = new ArrayBufferWriter<byte>(256);
        writer = new MessagePackWriter(tail);
        writer.Write(nameof(CollectorBatch.Exits));
        ProcessExitsWire.Write(ref writer, batch.Exits);
        writer.Write(nameof(CollectorBatch.Status));
        WriteStatus(ref writer, batch.Status);

        // No stream ids.
        writer.WriteArrayHeader(0);
        writer.Flush();

        // One span for the whole message: written piece by piece, the connection's pipe cut it into
        // 4 KiB segments, and the WebSocket sent each as a frame of its own, masked and sent with
        // a system call apiece (measured: a twentieth of a replay's collector CPU, the copy alone).
        var payload = events.Payload.Span;
        var length = head.WrittenCount + payload.Length + tail.WrittenCount;
        var span = output.GetSpan(MaxLengthPrefixBytes + length);
        var at = WriteLengthPrefix(length, span);
        head.WrittenSpan.CopyTo(span[at..]);
        at += head.WrittenCount;
        payload.CopyTo(span[at..]);
        at += payload.Length;
        tail.WrittenSpan.CopyTo(span[at..]);
        output.Advance(at + tail.WrittenCount);
    }

    private static void WriteStatus(ref MessagePackWriter writer, CollectorStatus status)
    {
        writer.WriteMapHeader(6);
        writer.Write(nameof(CollectorStatus.KernelLost));
        if (status.KernelLost is { } kernelLost)
        {
            writer.Write(kernelLost);
        }
        else
        {
            writer.WriteNil();
        }

        writer.Write(nameof(CollectorStatus.SerialGaps));
        writer.Write(status.SerialGaps);
        writer.Write(nameof(CollectorStatus.Malformed));
        writer.Write(status.Malformed);
        writer.Write(nameof(CollectorStatus.QueueDrops));
        writer.Write(status.QueueDrops);
        writer.Write(nameof(CollectorStatus.SpoolDrops));
        writer.Write(status.SpoolDrops);
        writer.Write(nameof(CollectorStatus.EventsPerSec));
        writer.Write(status.EventsPerSec);
    }

    /// <summary>The message's length as a little-endian base-128 number, as SignalR's binary framing has it.</summary>
    private static int WriteLengthPrefix(int length, Span<byte> span)
    {
        var at = 0;
        var left = (uint)length;
        do
        {
            var next = (byte)(left & 0x7f);
            left >>= 7;
            span[at++] = left > 0 ? (byte)(next | 0x80) : next;
        }
        while (left > 0);

        return at;
    }
}
