using ExecDashboard.Sources.Interop;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// What we changed in the kernel's one, machine-wide audit configuration, so that exactly that
/// is given back: our rules removed, the daemon registration dropped, the status fields we raised
/// set back to what they were. Release is idempotent and tries every step even if one fails.
/// </summary>
internal sealed class KernelAuditLease(AuditControlSocket control)
{
    private readonly List<AuditRule> _rules = [];
    private readonly Lock _gate = new();
    private bool _registeredAsDaemon;
    private AuditStatusChange? _restore;

    public IReadOnlyList<AuditRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules];
            }
        }
    }

    public void AddRule(AuditRule rule)
    {
        control.AddRule(rule);
        lock (_gate)
        {
            _rules.Add(rule);
        }
    }

    public void RegisteredAsDaemon()
    {
        lock (_gate)
        {
            _registeredAsDaemon = true;
        }
    }

    /// <summary>Applies <paramref name="change"/> and remembers <paramref name="restore"/> to undo it.</summary>
    public void ChangeStatus(AuditStatusChange change, AuditStatusChange restore)
    {
        if (change.IsEmpty)
        {
            return;
        }

        control.SetStatus(change);
        lock (_gate)
        {
            _restore = restore;
        }
    }

    /// <summary>Gives everything back; returns what could not be given back (never throws).</summary>
    public IReadOnlyList<Exception> Release()
    {
        List<AuditRule> rules;
        bool registered;
        AuditStatusChange? restore;
        lock (_gate)
        {
            rules = [.. _rules];
            registered = _registeredAsDaemon;
            restore = _restore;
            _rules.Clear();
            _registeredAsDaemon = false;
            _restore = null;
        }

        var errors = new List<Exception>();

        // Rules first, so nothing new is generated while we let go of the rest.
        foreach (var rule in rules)
        {
            Try(errors, () => control.DeleteRule(rule), ignoreErrno: Errno.ENOENT);
        }

        // Only the registered daemon itself may unregister, and the kernel checks the caller's
        // thread group, not the socket (kernel/audit.c, AUDIT_SET), so any socket of ours will do.
        if (registered)
        {
            Try(errors, () => control.SetStatus(new AuditStatusChange { Pid = 0 }), ignoreErrno: null);
        }

        if (restore is not null)
        {
            Try(errors, () => control.SetStatus(restore), ignoreErrno: null);
        }

        return errors;
    }

    private static void Try(List<Exception> errors, Action step, int? ignoreErrno)
    {
        try
        {
            step();
        }
        catch (SystemCallException e) when (e.Errno == ignoreErrno)
        {
            // Already gone (someone ran auditctl -D): the outcome we wanted.
        }
        catch (Exception e) when (e is SystemCallException or ObjectDisposedException)
        {
            errors.Add(e);
        }
    }
}
