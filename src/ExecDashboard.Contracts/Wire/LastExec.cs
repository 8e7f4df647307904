using System.Runtime.CompilerServices;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts.Wire;

/// <summary>A text a field of the last exec carried, and its position in the batch's texts.</summary>
internal readonly record struct LastText(string? Text, int Index);

/// <summary>An ancestor the last exec named at one depth, and its position in the batch's ancestors.</summary>
internal readonly record struct LastAncestor(Ancestor? Ancestor, int Index);

/// <summary>
/// The last exec's parent key, and its position in the batch's texts; the default names no key
/// (its boot is null, which no key being looked up has).
/// </summary>
internal readonly record struct LastKey(ProcessKey Key, int Index)
{
    public bool Is(ProcessKey key) => Key.Boot is not null && Key.Equals(key);
}

/// <summary>
/// What each field of the last exec written named, with its position in the batch's tables:
/// <see cref="CompactExecsWriter"/> compares the next exec's texts and ancestors against these
/// by reference (its parent key by value) before looking them up in the tables. Valid for one
/// batch, whose positions these are.
/// </summary>
internal struct LastExec
{
    /// <summary>Arguments remembered by position; the sendmail story's commands have at most four.</summary>
    public const int ArgvFields = 8;

    /// <summary>Ancestors remembered by depth; beyond, every one is looked up.</summary>
    public const int AncestryFields = 16;

    public LastText Host;
    public LastText Comm;
    public LastText Exe;
    public LastText Cwd;
    public LastText Syscall;
    public LastText Arch;
    public ArgvTexts Argv;
    public LastKey Parent;
    public Ancestors Ancestry;

    [InlineArray(ArgvFields)]
    public struct ArgvTexts
    {
        private LastText _first;
    }

    [InlineArray(AncestryFields)]
    public struct Ancestors
    {
        private LastAncestor _first;
    }
}
