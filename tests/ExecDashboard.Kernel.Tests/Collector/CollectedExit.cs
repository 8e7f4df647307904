using System.Text.Json;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>One process end as the collector printed it (<c>--output jsonl</c>, <c>"type": "exit"</c>).</summary>
internal sealed record CollectedExit
{
    public required int Pid { get; init; }

    public required string Process { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required long DurationMs { get; init; }

    public required int? ExitCode { get; init; }

    public required int? Signal { get; init; }

    public required bool CoreDumped { get; init; }

    /// <summary>True for a line that is a process end rather than an exec.</summary>
    public static bool IsExit(JsonElement json) =>
        json.TryGetProperty("type", out var type) && type.ValueEquals("exit");

    public static CollectedExit From(JsonElement json) => new()
    {
        Pid = json.GetProperty("pid").GetInt32(),
        Process = json.GetProperty("process").GetString() ?? string.Empty,
        Time = json.GetProperty("time").GetDateTimeOffset(),
        DurationMs = json.GetProperty("durationMs").GetInt64(),
        // Absent when it does not apply (the contract writes no nulls).
        ExitCode = json.TryGetProperty("exitCode", out var code) ? code.GetInt32() : null,
        Signal = json.TryGetProperty("signal", out var signal) ? signal.GetInt32() : null,
        CoreDumped = json.TryGetProperty("coreDumped", out var core) && core.GetBoolean(),
    };
}
