using ExecDashboard.Sources.Interop;
using System.Runtime.InteropServices;

namespace ExecDashboard.Sources.Interop;

/// <summary>Owns one netlink socket descriptor; 0 is a valid descriptor, only -1 is invalid.</summary>
internal sealed class NetlinkSocketHandle : SafeHandle
{
    public NetlinkSocketHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == -1;

    internal static NetlinkSocketHandle Adopt(int fd)
    {
        var handle = new NetlinkSocketHandle();
        handle.SetHandle(fd);
        return handle;
    }

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
