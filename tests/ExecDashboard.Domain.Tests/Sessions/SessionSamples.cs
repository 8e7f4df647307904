using System.Text;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Tests.Support;

namespace ExecDashboard.Domain.Tests.Sessions;

internal static class SessionSamples
{
    public static readonly SessionHeader Header = new()
    {
        Id = "3f2c9a",
        Name = "sendmail storm",
        Start = ExecEvents.T0,
        End = ExecEvents.T0.AddMinutes(5),
        Host = "mailhost",
        Exporter = new SessionExporter("ExecDashboard", "1.0.0"),
    };

    /// <summary>The sendmail loop, plus one exec whose argument is not valid UTF-8 and one failed exec.</summary>
    public static IReadOnlyList<ExecEvent> Events()
    {
        var events = SendmailLoop.Events(2, 3).ToList();
        var latin1 = new byte[] { 0x63, 0x61, 0x66, 0xE9 }; // "café" in Latin-1: 0xE9 alone is not UTF-8
        var last = events[^1];
        events.Add(last with
        {
            Exec = last.Exec with
            {
                Serial = 9001,
                Argv = ["touch", "caf\uFFFD"],
                ArgvBytes = [Encoding.UTF8.GetBytes("touch"), latin1],
                Exe = "/usr/bin/touch",
            },
        });
        events.Add(last with { Exec = last.Exec with { Serial = 9002, Success = false, Exit = -2, Exe = "/nonexistent", Argv = ["/nonexistent", "a b\t\"c\"\n"] } });
        events.Add(last with { Process = new ProcessKey("b00tc0de", 1, 1), Parent = ProcessKey.None, Ancestry = [] });
        return events;
    }

    public static readonly SessionProcess[] Processes =
    [
        new()
        {
            Key = SendmailLoop.Caller,
            Pid = 500,
            Ppid = 1,
            Exe = "/usr/bin/esmtp-wrapper",
            Argv = ["esmtp-wrapper"],
            Provenance = Provenance.ProcSnapshot,
            FirstSeen = ExecEvents.T0,
            LastSeen = ExecEvents.T0.AddSeconds(3),
        },
    ];

    public static readonly SessionGap[] Gaps =
    [
        new() { Kind = SessionGapKind.SerialGap, Time = ExecEvents.T0.AddSeconds(1), Count = 4, Host = "mailhost", AfterSerial = 104, BeforeSerial = 109 },
        new() { Kind = SessionGapKind.KernelLost, Time = ExecEvents.T0.AddSeconds(2), Count = 17, Host = "mailhost" },
    ];

    public static async Task<byte[]> ExportAsync(IEnumerable<ExecEvent>? events = null)
    {
        using var stream = new MemoryStream();
        await SessionWriter.WriteAsync(
            stream,
            Header,
            (events ?? Events()).ToAsyncEnumerable(),
            Processes.ToAsyncEnumerable(),
            Gaps.ToAsyncEnumerable());
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
