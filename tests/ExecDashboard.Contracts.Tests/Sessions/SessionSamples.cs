using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.TestSupport.Scenarios;

namespace ExecDashboard.Contracts.Tests.Sessions;

internal static class SessionSamples
{
    public static readonly DateTimeOffset T0 = ExecBuilder.DefaultTime;

    public static readonly SessionHeader Header = new()
    {
        Id = "3f2c9a",
        Name = "sendmail storm",
        Start = T0,
        End = T0.AddMinutes(5),
        Host = "mailhost",
        Exporter = new SessionExporter("ExecDashboard", "1.0.0"),
    };

    public static SendmailLoopEvents Loop(params int[] queueSizes) =>
        SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(50), ExecBuilder.DefaultBoot, queueSizes);

    /// <summary>
    /// The sendmail loop (first event: its first sendmail run), plus every shape the format must
    /// carry: an argument that is not valid UTF-8, a failed exec, a cut argv, an inferred ancestor
    /// (no exe), and PID 1 with no parent.
    /// </summary>
    public static IReadOnlyList<ExecEvent> Events()
    {
        var loop = Loop(2, 3);
        var events = loop.Events.ToList();
        var latin1 = new byte[] { 0x63, 0x61, 0x66, 0xE9 }; // "café" in Latin-1: 0xE9 alone is not UTF-8
        var child = ExecBuilder.Of("/usr/bin/touch", "touch").NonUtf8Argument(latin1).Pid(9001).Serial(9001).At(T0.AddSeconds(4)).Under(loop.Caller, loop.Init);
        events.Add(child.Build());
        events.Add(ExecBuilder.Of("/nonexistent", "/nonexistent", "a b\t\"c\"\n").Failed().Pid(9002).Serial(9002).Under(loop.Caller, loop.Init).Build());
        events.Add(ExecBuilder.Of("/usr/bin/xargs", "xargs", "-0").Truncated().Pid(9003).Serial(9003).Under(Ancestors.Inferred(new ProcessKey(ExecBuilder.DefaultBoot, 8000, 80000)), loop.Init).Build());
        events.Add(ExecBuilder.Of("/usr/lib/systemd/systemd", "/sbin/init").Key(new ProcessKey(ExecBuilder.DefaultBoot, 1, 1)).Serial(9004).Build());
        return events;
    }

    public static readonly SessionProcess[] Processes =
    [
        new()
        {
            Key = Loop().Caller.Key,
            Pid = 7000,
            Ppid = 1,
            Exe = "/usr/bin/esmtp-wrapper",
            Argv = ["esmtp-wrapper", "--queue"],
            Provenance = Provenance.ProcSnapshot,
            FirstSeen = T0,
            LastSeen = T0.AddSeconds(3),
        },
    ];

    public static readonly SessionGap[] Gaps =
    [
        new() { Kind = SessionGapKind.SerialGap, Time = T0.AddSeconds(1), Count = 4, Host = "mailhost", AfterSerial = 104, BeforeSerial = 109 },
        new() { Kind = SessionGapKind.KernelLost, Time = T0.AddSeconds(2), Count = 17, Host = "mailhost" },
    ];

    /// <summary>A run that exited with code 3 and one killed by SIGSEGV with a core dump: both ways an end is written.</summary>
    public static readonly ProcessEnd[] Exits =
    [
        new() { Process = Loop().Caller.Key, Started = T0, Time = T0.AddSeconds(3).AddTicks(12_340), Status = ExitStatus.Exited(3) },
        new() { Process = new ProcessKey(ExecBuilder.DefaultBoot, 9001, 90010), Started = T0.AddSeconds(4), Time = T0.AddSeconds(4.25), Status = ExitStatus.Killed(11, coreDumped: true) },
    ];

    public static async Task<byte[]> ExportAsync(
        IEnumerable<ExecEvent>? events = null,
        SessionHeader? header = null,
        IEnumerable<SessionProcess>? processes = null,
        IEnumerable<SessionGap>? gaps = null,
        IEnumerable<ProcessEnd>? exits = null)
    {
        using var stream = new MemoryStream();
        await SessionWriter.WriteAsync(
            stream,
            header ?? Header,
            (events ?? Events()).ToAsyncEnumerable(),
            (processes ?? Processes).ToAsyncEnumerable(),
            (gaps ?? Gaps).ToAsyncEnumerable(),
            (exits ?? Exits).ToAsyncEnumerable());
        return stream.ToArray();
    }
}

/// <summary>Hands out at most a few bytes per read, as a slow network would.</summary>
internal sealed class TrickleStream(byte[] data, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
