using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Validation;

/// <summary>
/// What the execs validated so far in one batch (or one import) share with the next: the
/// ancestors checked, by reference, and the previous exec's texts, boot and ancestry. Siblings
/// of a storm carry the same instances of these one exec after another (the hub's reader hands
/// out one instance per text and per ancestor), and every check of a string depends on its
/// content alone, so a field that is the instance already checked in the same place passes again
/// without being read. Not thread-safe: one per batch being validated.
/// </summary>
public sealed class ValidatedExecs
{
    private Ancestor[] _ancestry = [];

    /// <summary>Every ancestor checked so far, by reference.</summary>
    internal HashSet<Ancestor> Ancestors { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The previous exec, once it passed every check; null before.</summary>
    internal ExecObservation? Exec { get; private set; }

    /// <summary>The boot the previous exec's keys named, once checked.</summary>
    internal string? Boot { get; private set; }

    /// <summary>True when <paramref name="ancestry"/> holds the previous exec's ancestors, the same instances in the same order.</summary>
    internal bool IsLastAncestry(IReadOnlyList<Ancestor> ancestry) => SharedAncestry.SameInstances(ancestry, _ancestry);

    /// <summary>Remembers an exec that passed every check.</summary>
    internal void Passed(ExecObservation exec, string? boot, IReadOnlyList<Ancestor> ancestry)
    {
        Exec = exec;
        Boot = boot;
        if (!IsLastAncestry(ancestry))
        {
            // A copy: the caller's list is not ours to trust to stay as it was.
            _ancestry = ancestry.Count == 0 ? [] : [.. ancestry];
        }
    }
}
