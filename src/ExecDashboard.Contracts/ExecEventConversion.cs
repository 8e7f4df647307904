using System.Buffers.Text;
using System.Text;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts;

/// <summary>
/// What the messages of one batch share once converted to domain events: each ancestor message
/// (compared by reference, as a hub reader hands siblings one instance) is converted once, a
/// sibling naming the same ancestors gets the previous sibling's ancestry list, and every key
/// naming the last boot gets that boot's string. Without it each exec's process and parent keys
/// each allocated their boot text (36 characters for a replay's log name), and the store then
/// copied every kept event once more to share it. The hub's format 2 is converted as it is
/// read (<see cref="Wire.CompactExecsReader"/>) with the same key rules and refusals.
/// </summary>
/// <remarks>Not thread-safe: one per batch being converted.</remarks>
public sealed class ExecEventConversion
{
    // Digits that cannot overflow a pid (int) or a start (long); longer ones take the text form.
    private const int MaxPidDigits = 9;
    private const int MaxStartDigits = 18;

    private readonly Dictionary<AncestorMessage, Ancestor> _ancestors = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<AncestorMessage> _lastMessages = [];
    private Ancestor[] _lastAncestry = [];

    // The UTF-8 bytes of the boot they were encoded from (Boot changes under them).
    private byte[] _bootUtf8 = [];
    private string? _bootUtf8Of;

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

    /// <summary>
    /// As <see cref="Key(string?, string)"/>, from the key's UTF-8 bytes as the hub's format 2
    /// carries an exec's own key: no string for the key, and its boot compared as bytes. Only
    /// the plain form (pid and start in decimal digits, short enough not to overflow) is read
    /// here; anything else goes through the text form, which decides it and says why it is no key.
    /// </summary>
    /// <remarks>
    /// Number parsing with styles and a culture took half of this (perf): every collector writes
    /// the plain form.
    /// </remarks>
    internal ProcessKey Key(ReadOnlySpan<byte> utf8, string field)
    {
        var lastSlash = utf8.LastIndexOf((byte)'/');
        var midSlash = lastSlash > 0 ? utf8[..lastSlash].LastIndexOf((byte)'/') : -1;
        if (midSlash <= 0
            || !TryParseDigits(utf8[(midSlash + 1)..lastSlash], MaxPidDigits, out var pid)
            || !TryParseDigits(utf8[(lastSlash + 1)..], MaxStartDigits, out var start))
        {
            return Key(Encoding.UTF8.GetString(utf8), field);
        }

        var boot = utf8[..midSlash];
        if (!ReferenceEquals(_bootUtf8Of, Boot))
        {
            _bootUtf8 = Boot is null ? [] : Encoding.UTF8.GetBytes(Boot);
            _bootUtf8Of = Boot;
        }

        if (Boot is null || !boot.SequenceEqual(_bootUtf8))
        {
            Boot = Utf8StringCache.ForThisThread.Get(boot);
        }

        return new ProcessKey(Boot, (int)pid, start);
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

    /// <summary>One to <paramref name="maxDigits"/> ASCII digits and nothing else; false for anything the text form must decide.</summary>
    private static bool TryParseDigits(ReadOnlySpan<byte> digits, int maxDigits, out long value)
    {
        value = 0;

        // A digit first: the parser would also take a sign, which only the text form may accept or refuse.
        return digits.Length > 0 && digits.Length <= maxDigits && char.IsAsciiDigit((char)digits[0])
            && Utf8Parser.TryParse(digits, out value, out var consumed) && consumed == digits.Length;
    }

    internal static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
