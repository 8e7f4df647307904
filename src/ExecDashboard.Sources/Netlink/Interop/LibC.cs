using System.Runtime.InteropServices;

namespace ExecDashboard.Sources.Netlink.Interop;

/// <summary>
/// The few libc calls the netlink source needs, declared thinly: callers check the result and
/// read errno through <see cref="Marshal.GetLastPInvokeError"/> right after the call.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    // sys/socket.h and linux/socket.h
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVTIMEO = 20; // SO_RCVTIMEO_OLD: struct timeval with 64-bit fields on 64-bit ABIs.
    public const int SO_RCVBUFFORCE = 33;

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(SafeHandle socket, void* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(SafeHandle socket, void* buffer, nuint length, int flags, void* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(SafeHandle socket, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(SafeHandle socket, int level, int name, void* value, uint valueLength);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSocketOption(SafeHandle socket, int level, int name, void* value, uint* valueLength);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
