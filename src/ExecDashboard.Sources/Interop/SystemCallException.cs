using System.Runtime.InteropServices;

namespace ExecDashboard.Sources.Interop;

/// <summary>A libc call or a kernel reply failed; the message names the call and the errno.</summary>
public sealed class SystemCallException : Exception
{
    public SystemCallException(string call, int errno)
        : base($"{call} failed: {Describe(errno)}")
    {
        Call = call;
        Errno = errno;
    }

    public SystemCallException()
    {
        Call = "";
    }

    public SystemCallException(string message)
        : base(message)
    {
        Call = "";
    }

    public SystemCallException(string message, Exception innerException)
        : base(message, innerException)
    {
        Call = "";
    }

    /// <summary>The call that failed, for example <c>sendto(AUDIT_SET)</c>.</summary>
    public string Call { get; }

    /// <summary>The positive errno value.</summary>
    public int Errno { get; }

    /// <summary>Throws for the errno the last P/Invoke left behind.</summary>
    internal static SystemCallException FromLastError(string call) => new(call, Marshal.GetLastPInvokeError());

    private static string Describe(int errno) => $"errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})";
}
