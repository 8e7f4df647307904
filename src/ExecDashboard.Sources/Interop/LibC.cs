using System.Runtime.InteropServices;

namespace ExecDashboard.Sources.Interop;

/// <summary>
/// The few libc calls the netlink sources (audit and proc connector) need, declared thinly: callers check the result and
/// read errno through <see cref="Marshal.GetLastPInvokeError"/> right after the call.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    // sys/socket.h and linux/socket.h
    public const int AF_NETLINK = 16;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVTIMEO = 20; // SO_RCVTIMEO_OLD: struct timeval with 64-bit fields on 64-bit ABIs.
    public const int SO_RCVBUFFORCE = 33;
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_WAITFORONE = 0x10000;

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr: a struct msghdr and the length recvmmsg received into it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;

        // struct msghdr ends padded to 8 bytes (56 on 64-bit ABIs); msg_len follows it.
        private readonly int _msghdrPadding;
        public uint ReceivedLength;
    }

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(SafeHandle socket, void* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(SafeHandle socket, void* buffer, nuint length, int flags, void* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(SafeHandle socket, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMany(SafeHandle socket, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(SafeHandle socket, int level, int name, void* value, uint valueLength);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSocketOption(SafeHandle socket, int level, int name, void* value, uint* valueLength);

    // poll.h
    public const short POLLIN = 0x1;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    // fcntl.h (asm-generic/fcntl.h) and sys/file.h
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_CLOEXEC = 0x80000;
    public const int LOCK_EX = 2;

    // O_NOFOLLOW differs by architecture: 0400000 generic and x86, 0100000 on arm64 (arch/arm64/include/uapi/asm/fcntl.h).
    public static int O_NOFOLLOW => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;
    public const int LOCK_NB = 4;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
