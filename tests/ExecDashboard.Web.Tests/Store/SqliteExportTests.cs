using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>
/// The SQLite engine's own export path: events read by several readers side by side and handed
/// out in order, processes sorted beside them; the same text as the contract's serializer writes.
/// </summary>
public sealed class SqliteExportTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly string _data = Directory.CreateTempSubdirectory("execdash-export-").FullName;
    private readonly SqliteEventStore _store;

    public SqliteExportTests() =>
        _store = SqliteStores.In(_data);

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 4, 256 * 1024, 1)]
    [InlineData(3, 4, 1, 700)]
    [InlineData(2, 7, 2_000, 700)]
    [InlineData(2, 1000, 256 * 1024, 64 * 1024)]
    public async Task Readers_side_by_side_hand_out_every_event_in_order(int readers, int chunkEvents, int pieceBytes, int asked)
    {
        var session = Import([.. AdmittedShapes.All(1, Now).Select(s => s.Event), .. Enumerable.Range(0, 30).Select(i => TestEvents.Expr(100 + (ulong)i, Now.AddSeconds(i)))]);

        await using var events = SessionEventJson.Start(_store.DatabasePath, session.Id, readers, chunkEvents, pieceBytes);

        Assert.Equal(await SerializedEventsAsync(session.Id), await SessionArrays.TextAsync(events, asked));
    }

    [Fact]
    public async Task Processes_first_seen_at_once_come_in_the_order_they_stream()
    {
        // Every shape and its parents are first seen at the same time.
        var session = Import([.. AdmittedShapes.All(1, Now).Select(s => s.Event)]);
        var streamed = await SessionArrays.TextOfAsync(SessionJsonArrays.Processes(_store.StreamSessionProcesses(session.Id, CancellationToken.None)));

        await using var export = _store.ExportSession(session.Id);
        Assert.Equal(streamed, await SessionArrays.TextAsync(export.Processes, SessionWriter.FlushThreshold));
    }

    [Fact]
    public async Task An_export_left_after_its_first_piece_stops_its_readers_and_its_sort()
    {
        var session = Import([.. Enumerable.Range(0, 2_000).Select(i => TestEvents.Expr(1 + (ulong)i, Now.AddMilliseconds(i)))]);
        var export = _store.ExportSession(session.Id);

        Assert.True(await export.Events.WriteNextAsync(new System.Buffers.ArrayBufferWriter<byte>(), 100, CancellationToken.None));
        var left = Task.Run(async () => await export.DisposeAsync());

        Assert.Same(left, await Task.WhenAny(left, Task.Delay(TimeSpan.FromSeconds(30))));
        await left;
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private Task<string> SerializedEventsAsync(long sessionId) =>
        SessionArrays.TextOfAsync(SessionJsonArrays.Events(_store.StreamSessionEvents(sessionId, CancellationToken.None).Select(e => e.Event)));

    private SessionInfo Import(IReadOnlyList<ExecEvent> events)
    {
        var session = _store.CreateSession("export", string.Empty, "import", Now, importing: true);
        _store.AppendImportChunk(session.Id, [.. events.Select((e, i) => new SessionEventItem(i, e))]);
        _store.FinishImport(session.Id, "export", string.Empty, Now, Now);
        return session;
    }
}
