using System.Runtime.CompilerServices;

namespace ExecDashboard.Sources.Interop;

/// <summary>
/// Room for several datagrams received with one recvmmsg(2) (<see cref="NetlinkSocket.ReceiveBatch"/>):
/// a slot of <c>slotSize</c> bytes each, and the kernel's headers that point into them. Pinned for
/// its whole life, so the headers are filled once.
/// </summary>
internal sealed unsafe class DatagramBatch
{
    private readonly byte[] _slots;
    private readonly LibC.IoVector[] _vectors;
    private readonly LibC.MultiMessageHeader[] _headers;
    private readonly int _slotSize;

    public DatagramBatch(int slots, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        if (sizeof(LibC.MultiMessageHeader) != 64)
        {
            throw new PlatformNotSupportedException("recvmmsg is declared for 64-bit ABIs (struct mmsghdr of 64 bytes).");
        }

        _slotSize = slotSize;
        _slots = GC.AllocateArray<byte>(slots * slotSize, pinned: true);
        _vectors = GC.AllocateArray<LibC.IoVector>(slots, pinned: true);
        _headers = GC.AllocateArray<LibC.MultiMessageHeader>(slots, pinned: true);
        for (var i = 0; i < slots; i++)
        {
            _vectors[i].Base = Unsafe.AsPointer(ref _slots[i * slotSize]);
            _vectors[i].Length = (nuint)slotSize;
            _headers[i].Iov = (LibC.IoVector*)Unsafe.AsPointer(ref _vectors[i]);
            _headers[i].IovLength = 1;
        }
    }

    public int Capacity => _headers.Length;

    internal LibC.MultiMessageHeader* Headers => (LibC.MultiMessageHeader*)Unsafe.AsPointer(ref _headers[0]);

    /// <summary>The <paramref name="index"/>th datagram of the last receive.</summary>
    public ReadOnlySpan<byte> this[int index] =>
        _slots.AsSpan(index * _slotSize, (int)Math.Min(_headers[index].ReceivedLength, (uint)_slotSize));

    /// <summary>Whether the <paramref name="index"/>th datagram was longer than its slot (its tail is lost).</summary>
    public bool Truncated(int index) => (_headers[index].Flags & LibC.MSG_TRUNC) != 0;
}
