using System.Text;
using System.Text.Json;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>One exec event as the collector printed it (<c>--output jsonl</c>).</summary>
internal sealed record CollectedExec
{
    public required ulong Serial { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    public required string Exe { get; init; }

    public required bool Success { get; init; }

    public required long Exit { get; init; }

    public required string Syscall { get; init; }

    public required string Arch { get; init; }

    public required string? Process { get; init; }

    public required string? Parent { get; init; }

    /// <summary>Exact argument bytes: from <c>argvBytes</c> when present, else the UTF-8 of <c>argv</c>.</summary>
    public required IReadOnlyList<byte[]> Argv { get; init; }

    public required IReadOnlyList<CollectedAncestor> Ancestry { get; init; }

    public bool HasArgument(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Argv.Any(a => a.AsSpan().SequenceEqual(bytes));
    }

    /// <summary>Reads one JSON line; <paramref name="headerOnly"/> skips argv and ancestry of events nobody will inspect.</summary>
    public static CollectedExec From(JsonElement json, bool headerOnly = false) => new()
    {
        Serial = json.GetProperty("serial").GetUInt64(),
        Pid = json.GetProperty("pid").GetInt32(),
        Ppid = json.GetProperty("ppid").GetInt32(),
        Exe = json.GetProperty("exe").GetString() ?? string.Empty,
        Success = json.GetProperty("success").GetBoolean(),
        Exit = json.GetProperty("exit").GetInt64(),
        Syscall = json.GetProperty("syscall").GetString() ?? string.Empty,
        Arch = json.GetProperty("arch").GetString() ?? string.Empty,
        Process = json.GetProperty("process").GetString(),
        Parent = json.TryGetProperty("parent", out var parent) ? parent.GetString() : null, // absent when unknown
        Argv = headerOnly ? [] : ArgvOf(json),
        Ancestry = headerOnly ? [] : [.. json.GetProperty("ancestry").EnumerateArray().Select(CollectedAncestor.From)],
    };

    private static byte[][] ArgvOf(JsonElement json) =>
        json.TryGetProperty("argvBytes", out var bytes)
            ? [.. bytes.EnumerateArray().Select(b => b.GetBytesFromBase64())]
            : [.. json.GetProperty("argv").EnumerateArray().Select(a => Encoding.UTF8.GetBytes(a.GetString() ?? string.Empty))];
}

internal sealed record CollectedAncestor(int Pid, string Exe, IReadOnlyList<string> Argv, string? Key, string Provenance)
{
    public static CollectedAncestor From(JsonElement json) => new(
        json.GetProperty("pid").GetInt32(),
        json.GetProperty("exe").GetString() ?? string.Empty,
        [.. json.GetProperty("argv").EnumerateArray().Select(a => a.GetString() ?? string.Empty)],
        json.GetProperty("key").GetString(),
        json.GetProperty("provenance").GetString() ?? string.Empty);
}
