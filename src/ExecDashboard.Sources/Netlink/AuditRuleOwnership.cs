using ExecDashboard.Sources.Interop;
using System.Runtime.InteropServices;
using System.Text;

namespace ExecDashboard.Sources.Netlink;

/// <summary>What a source may do with the rules carrying its key.</summary>
public enum AuditRuleOwnershipState
{
    /// <summary>We hold the key's lock: rules with the key are a crashed run's leftovers; replace them, remove ours at the end.</summary>
    Owner,

    /// <summary>A live collector holds the lock: its rules are in use; leave them alone and just read.</summary>
    HeldByAnother,

    /// <summary>The lock file could not be used: behave as if we were the owner (the behaviour before locks existed).</summary>
    Unguarded,
}

/// <summary>
/// Tells which running collector owns the audit rules tagged with a key. The kernel keeps no
/// owner with a rule, so without this a second collector took a live collector's rules for a
/// crash's leftovers, deleted them, and removed its own copies on exit, leaving the first blind.
/// The owner is whoever holds an exclusive flock(2) on one file per key; the kernel drops the
/// lock when its holder dies, however it dies, so a free lock proves the rules are stale.
/// </summary>
public sealed class AuditRuleOwnership : IDisposable
{
    /// <summary>Where lock files live unless configured otherwise (systemd: RuntimeDirectory=execdashboard).</summary>
    public const string DefaultDirectory = "/run/execdashboard";

    private int _fd;

    private AuditRuleOwnership(AuditRuleOwnershipState state, int fd, string? reason)
    {
        State = state;
        _fd = fd;
        Reason = reason;
    }

    public AuditRuleOwnershipState State { get; }

    /// <summary>Why the lock could not be used, when <see cref="State"/> is <see cref="AuditRuleOwnershipState.Unguarded"/>.</summary>
    public string? Reason { get; }

    /// <summary>The lock file for <paramref name="key"/> in <paramref name="directory"/>.</summary>
    public static string LockPath(string directory, string key)
    {
        // A key may hold any printable byte, '/' included; keep the file name a single path component.
        var name = new StringBuilder("rules-");
        foreach (var c in key)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return Path.Combine(directory, name.Append(".lock").ToString());
    }

    /// <summary>Takes the key's lock if it is free; never throws for an unusable lock file.</summary>
    public static AuditRuleOwnership Claim(string directory, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var path = LockPath(directory, key);
        if (!OperatingSystem.IsLinux())
        {
            return new AuditRuleOwnership(AuditRuleOwnershipState.Unguarded, -1, "rule locks need Linux");
        }

        try
        {
            // Only the owner (root or the service's user) may create or take the lock: another
            // user able to hold it would make every collector leave the rules to it.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AuditRuleOwnership(AuditRuleOwnershipState.Unguarded, -1, $"creating {directory} failed: {e.Message}");
        }

        var fd = LibC.Open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0b110_000_000);
        if (fd < 0)
        {
            var error = SystemCallException.FromLastError($"open({path})");
            return new AuditRuleOwnership(AuditRuleOwnershipState.Unguarded, -1, error.Message);
        }

        if (LibC.Flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) == 0)
        {
            return new AuditRuleOwnership(AuditRuleOwnershipState.Owner, fd, null);
        }

        var errno = Marshal.GetLastPInvokeError();
        LibC.Close(fd);
        return errno == Errno.EAGAIN // EWOULDBLOCK: held by another open file, a live process
            ? new AuditRuleOwnership(AuditRuleOwnershipState.HeldByAnother, -1, null)
            : new AuditRuleOwnership(AuditRuleOwnershipState.Unguarded, -1, new SystemCallException($"flock({path})", errno).Message);
    }

    /// <summary>Lets go of the lock (after our rules are removed, so a successor never sees them as live).</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            LibC.Close(fd); // closing the only descriptor releases the flock
        }
    }
}
