using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// The <c>ancestors</c> table of one format-2 batch (see <see cref="CompactExecs"/>), each
/// converted once: every exec naming a position gets the same <see cref="Ancestor"/>, or, for one
/// that could not be converted, the same refusal.
/// </summary>
/// <remarks>Not thread-safe: one per batch being read.</remarks>
internal sealed class BatchAncestors(int count)
{
    private readonly Ancestor?[] _ancestors = new Ancestor?[count];
    private FormatException?[]? _refusals;

    public int Count => _ancestors.Length;

    public void Converted(int position, Ancestor ancestor) => _ancestors[position] = ancestor;

    public void Refused(int position, FormatException refusal) => (_refusals ??= new FormatException?[Count])[position] = refusal;

    /// <summary>The ancestor at <paramref name="position"/>, or null with why it could not be converted.</summary>
    public Ancestor? At(int position, out FormatException? refusal)
    {
        if ((uint)position >= (uint)_ancestors.Length)
        {
            throw CompactExecsReader.Outside(position, CompactExecs.AncestorsKey, _ancestors.Length);
        }

        var ancestor = _ancestors[position];
        refusal = ancestor is null ? _refusals?[position] : null;
        return ancestor;
    }
}
