using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts;

/// <summary>
/// What the messages of one batch share once converted to domain events: each ancestor message
/// (compared by reference, as a hub reader hands siblings one instance) is converted once, a
/// sibling naming the same ancestors gets the previous sibling's ancestry list, and every key
/// naming the last boot gets that boot's string. Without it each exec's process and parent keys
/// each allocated their boot text (36 characters for a replay's log name), and the store then
/// copied every kept event once more to share it.
/// </summary>
/// <remarks>Not thread-safe: one per batch being converted.</remarks>
public sealed class ExecEventConversion
{
    private readonly Dictionary<AncestorMessage, Ancestor> _ancestors = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<AncestorMessage> _lastMessages = [];
    private Ancestor[] _lastAncestry = [];

    /// <param name="boot">A boot string earlier batches used, shared when the keys name the same boot.</param>
    public ExecEventConversion(string? boot = null) => Boot = boot;

    /// <summary>The last boot a key named: the instance keys naming the same boot share.</summary>
    public string? Boot { get; private set; }

    internal ProcessKey Key(string? text, string field)
    {
        if (!ProcessKey.TryParse(text, Boot, out var key))
        {
            throw new FormatException($"'{field}' is '{Shorten(text ?? string.Empty)}', not a process key of the form boot/pid/start.");
        }

        Boot = key.Boot;
        return key;
    }

    /// <summary>The previous event's ancestry when <paramref name="messages"/> are the same instances; null otherwise.</summary>
    internal Ancestor[]? SameAncestry(IReadOnlyList<AncestorMessage> messages)
    {
        if (messages.Count == 0 || messages.Count != _lastMessages.Count)
        {
            return null;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (!ReferenceEquals(messages[i], _lastMessages[i]))
            {
                return null;
            }
        }

        return _lastAncestry;
    }

    internal void RememberAncestry(IReadOnlyList<AncestorMessage> messages, Ancestor[] ancestry)
    {
        _lastMessages = messages;
        _lastAncestry = ancestry;
    }

    internal bool TryGetAncestor(AncestorMessage message, out Ancestor ancestor) => _ancestors.TryGetValue(message, out ancestor!);

    internal void AddAncestor(AncestorMessage message, Ancestor ancestor) => _ancestors.Add(message, ancestor);

    internal static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
