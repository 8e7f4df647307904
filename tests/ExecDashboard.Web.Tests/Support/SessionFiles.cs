using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>Session exports written by the real writer, for import tests.</summary>
internal static class SessionFiles
{
    public static async Task<byte[]> ExportAsync(IReadOnlyList<ExecEvent> events, string name = "test session")
    {
        var header = new SessionHeader
        {
            Id = "t1",
            Name = name,
            Start = events.Count > 0 ? events[0].Exec.Time : DateTimeOffset.UnixEpoch,
            Host = TestEvents.Host,
            Exporter = new SessionExporter("tests", "1"),
        };
        using var output = new MemoryStream();
        await SessionWriter.WriteAsync(output, header, events.ToAsyncEnumerable(), AsyncEnumerable.Empty<SessionProcess>(), AsyncEnumerable.Empty<SessionGap>(), AsyncEnumerable.Empty<ProcessEnd>());
        return output.ToArray();
    }
}
