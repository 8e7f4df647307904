using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.TestSupport.Scenarios;

namespace ExecDashboard.TestSupport.Recordings;

/// <summary>
/// The sendmail loop at real scale with how each process ended, as a session export (format
/// version 2 carries the ends; a raw audit log cannot): the n-th of <see cref="Runs"/> runs makes
/// n <c>expr</c> children, so each run lasts longer than the one before, and a few runs (one of
/// them among the newest, where the feed opens) exit with 75 (EX_TEMPFAIL, sendmail's "try again later").
/// </summary>
public sealed class SendmailSessionRecording
{
    public const int Runs = 224;
    public const int FailedExitCode = 75;

    private SendmailSessionRecording(SendmailLoopEvents loop) => Loop = loop;

    /// <summary>The events and ends written.</summary>
    public SendmailLoopEvents Loop { get; }

    /// <summary>Run numbers (from 1) that ended with <see cref="FailedExitCode"/>.</summary>
    public static IReadOnlyList<int> FailedRuns { get; } = [20, 70, 120, 170, 220];

    /// <summary>
    /// The loop's events and ends: 224 runs (25,424 execs), an <c>expr</c> every 2 ms, 150 ms
    /// between runs, so the last run lasts 448 ms.
    /// </summary>
    public static SendmailLoopEvents Events(DateTimeOffset start) => SendmailLoopEvents.Create(
        start,
        spacing: TimeSpan.FromMilliseconds(2),
        pause: TimeSpan.FromMilliseconds(150),
        runStatus: n => FailedRuns.Contains(n) ? ExitStatus.Exited(FailedExitCode) : ExitStatus.Exited(0),
        boot: "5e4d0a11",
        queueSizes: [.. Enumerable.Range(1, Runs)]);

    /// <summary>Writes <see cref="Events"/> to <paramref name="output"/> as a session export.</summary>
    public static async Task<SendmailSessionRecording> WriteAsync(Stream output, DateTimeOffset start)
    {
        var loop = Events(start);
        var header = new SessionHeader
        {
            Id = "sendmail-at-scale",
            Name = "sendmail at scale",
            Start = start,
            End = loop.Ends[^1].Time,
            Host = loop.Events[0].Exec.Host,
            Exporter = new SessionExporter("ExecDashboard.TestSupport", "1"),
        };
        await SessionWriter.WriteAsync(
            output,
            header,
            loop.Events.ToAsyncEnumerable(),
            AsyncEnumerable.Empty<SessionProcess>(),
            AsyncEnumerable.Empty<SessionGap>(),
            loop.Ends.ToAsyncEnumerable());
        return new SendmailSessionRecording(loop);
    }
}
