using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using ExecDashboard.Contracts;
using ExecDashboard.Shipping.Spool;
using MessagePack;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ExecDashboard.Shipping.Wire;

/// <summary>
/// SignalR's MessagePack hub protocol, except that a batch pushed from the spool is written by
/// <see cref="BatchInvocationWriter"/>: the same bytes, written straight into the connection.
/// </summary>
/// <remarks>
/// The stock protocol serializes every argument through MessagePack's non-generic entry point,
/// which compiles expression trees and emits a formatter type for the batch at run time (start-up
/// work on the way to the first batch, measured at about a tenth of a second of CPU), and it
/// writes each message into a scratch buffer to learn its length before copying it out (about a
/// megabyte per batch). Everything else (acknowledgements, pings, the handshake) it still does.
/// </remarks>
internal sealed class CollectorHubProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        if (AsSpooledPush(message) is { } push)
        {
            BatchInvocationWriter.Write(push.Invocation, push.Batch, push.Events, output);
            return;
        }

        inner.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        if (AsSpooledPush(message) is { } push)
        {
            var buffer = new ArrayBufferWriter<byte>();
            BatchInvocationWriter.Write(push.Invocation, push.Batch, push.Events, buffer);
            return buffer.WrittenMemory;
        }

        return inner.GetMessageBytes(message);
    }

    private static (InvocationMessage Invocation, CollectorBatch Batch, SpooledEvents Events)? AsSpooledPush(HubMessage message) =>
        message is InvocationMessage { Arguments: [CollectorBatch { Events: SpooledEvents events } batch] } invocation
            && invocation.Headers is null or { Count: 0 }
            && invocation.StreamIds is null or []
            ? (invocation, batch, events)
            : null;
}
