using System.Globalization;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// The text of the process keys this thread wrote lately (<see cref="ProcessKey.ToString"/>): an
/// exec is written with its parent's and every ancestor's key, and siblings share those, so a
/// storm writes the same few keys exec after exec. Direct-mapped and bounded; a slot holds the last
/// key that hashed to it, and the text is only reused for the same boot instance, pid and start.
/// One cache per thread, so no thread sees another's writes half done.
/// </summary>
internal static class RecentKeyTexts
{
    private const int Slots = 256;

    [ThreadStatic]
    private static Entry[]? t_entries;

    public static string Of(string? boot, int pid, long start)
    {
        var entries = t_entries ??= new Entry[Slots];
        ref var entry = ref entries[SlotOf(pid, start)];
        if (entry.Text is { } known && entry.Pid == pid && entry.Start == start && ReferenceEquals(entry.Boot, boot))
        {
            return known;
        }

        var text = Format(boot, pid, start);
        entry = new Entry { Boot = boot, Pid = pid, Start = start, Text = text };
        return text;
    }

    private static string Format(string? boot, int pid, long start)
    {
        // "/" + int + "/" + long: at most 1 + 11 + 1 + 20 characters.
        Span<char> tail = stackalloc char[34];
        tail[0] = '/';
        pid.TryFormat(tail[1..], out var pidLength, default, CultureInfo.InvariantCulture);
        var at = 1 + pidLength;
        tail[at++] = '/';
        start.TryFormat(tail[at..], out var startLength, default, CultureInfo.InvariantCulture);
        return string.Concat(boot.AsSpan(), tail[..(at + startLength)]);
    }

    /// <summary>Fibonacci hashing of pid and start, as <see cref="RecentProcesses"/> does.</summary>
    private static int SlotOf(int pid, long start) =>
        (int)((((ulong)(uint)pid * 0x9E3779B97F4A7C15) ^ ((ulong)start * 0xC2B2AE3D27D4EB4F)) >> 56);

    private struct Entry
    {
        public string? Boot;
        public int Pid;
        public long Start;
        public string? Text;
    }
}
