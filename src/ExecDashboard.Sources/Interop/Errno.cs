namespace ExecDashboard.Sources.Interop;

/// <summary>The errno values this source reacts to (asm-generic/errno-base.h, asm-generic/errno.h).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int EPROTONOSUPPORT = 93;
    public const int ENOBUFS = 105;
    public const int ECONNREFUSED = 111;
}
