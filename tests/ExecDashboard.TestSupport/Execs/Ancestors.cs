using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.TestSupport.Execs;

/// <summary>Links of lineage chains for <see cref="ExecBuilder.Under(Ancestor[])"/>.</summary>
public static class Ancestors
{
    /// <summary>A process whose exec we saw.</summary>
    public static Ancestor Of(ProcessKey key, string exe, params string[] argv) => Of(key, exe, Provenance.ExecSeen, argv);

    public static Ancestor Of(ProcessKey key, string exe, Provenance provenance, params string[] argv) =>
        new() { Key = key, Pid = key.Pid, Exe = exe, Argv = argv, Provenance = provenance };

    /// <summary>A process known only because a child named it as parent: no exe, no arguments.</summary>
    public static Ancestor Inferred(ProcessKey key) => Of(key, string.Empty, Provenance.Inferred);

    /// <summary>PID 1 as read from <c>/proc</c> at start-up: systemd, started as <c>/sbin/init</c>.</summary>
    public static Ancestor Init(string boot, long startTicks = 1) =>
        Of(new ProcessKey(boot, 1, startTicks), "/usr/lib/systemd/systemd", Provenance.ProcSnapshot, "/sbin/init");

    /// <summary>The process of <paramref name="e"/> as a link in a descendant's chain.</summary>
    public static Ancestor AsAncestor(this ExecEvent e, Provenance provenance = Provenance.ExecSeen)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new() { Key = e.Process, Pid = e.Exec.Pid, Exe = e.Exec.Exe, Argv = e.Exec.Argv, Provenance = provenance };
    }
}
