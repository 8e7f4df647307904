using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Trees;

/// <summary>One link of an ancestry chain as drawn: label and provenance badge.</summary>
public sealed record AncestryStep
{
    public required ProcessKey Key { get; init; }

    public required int Pid { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary><c>bash(8024)[/usr/sbin/sendmail -t]</c>.</summary>
    public required string Label { get; init; }

    public required Provenance Provenance { get; init; }

    /// <summary>Short text for the badge: "exec seen", "/proc snapshot" or "inferred".</summary>
    public required string Badge { get; init; }

    /// <summary>The process itself first, then its ancestors up to PID 1.</summary>
    public static IReadOnlyList<AncestryStep> ChainOf(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        var chain = new List<AncestryStep>(exec.Ancestry.Count + 1)
        {
            Of(exec.Process, exec.Exec.Pid, exec.Exec.Exe, exec.Exec.Argv, Provenance.ExecSeen),
        };
        chain.AddRange(exec.Ancestry.Select(a => Of(a.Key, a.Pid, a.Exe, a.Argv, a.Provenance)));
        return chain;
    }

    public static string BadgeOf(Provenance provenance) => provenance switch
    {
        Provenance.ExecSeen => "exec seen",
        Provenance.ProcSnapshot => "/proc snapshot",
        _ => "inferred",
    };

    private static AncestryStep Of(ProcessKey key, int pid, string exe, IReadOnlyList<string> argv, Provenance provenance) => new()
    {
        Key = key,
        Pid = pid,
        Exe = exe,
        Argv = argv,
        Label = NodeLabel.ForProcess(exe, pid, argv),
        Provenance = provenance,
        Badge = BadgeOf(provenance),
    };
}
