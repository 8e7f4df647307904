using ExecDashboard.Contracts;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Web.Tests.Support;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

public sealed class BatchSpoolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-spool-unit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Unacknowledged_batches_survive_a_reopen_in_order()
    {
        using (var spool = new BatchSpool(_directory, 16 * 1024 * 1024))
        {
            Assert.Equal(1, spool.Append(Events(1, 3)));
            Assert.Equal(2, spool.Append(Events(4, 3)));
            Assert.Equal(3, spool.Append(Events(7, 3)));
            spool.Acknowledge(1);
        }

        using var reopened = new BatchSpool(_directory, 16 * 1024 * 1024);
        Assert.Equal(1, reopened.AcknowledgedSeq);
        var next = reopened.NextAfter(0)!;
        Assert.Equal(2, next.Seq);
        Assert.Equal([4UL, 5, 6], next.Events.Select(e => e.Serial));
        Assert.Equal(3, reopened.NextAfter(2)!.Seq);
        Assert.Null(reopened.NextAfter(3));
        Assert.Equal(4, reopened.Append(Events(10, 1)));
    }

    [Fact]
    public void A_record_torn_by_a_crash_is_cut_off_and_the_rest_is_kept()
    {
        using (var spool = new BatchSpool(_directory, 16 * 1024 * 1024))
        {
            spool.Append(Events(1, 2));
            spool.Append(Events(3, 2));
        }

        var segment = Directory.GetFiles(_directory, "segment-*").Single();
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(stream.Length - 5);
        }

        using var reopened = new BatchSpool(_directory, 16 * 1024 * 1024);
        Assert.Equal(1, reopened.NextAfter(0)!.Seq);
        Assert.Null(reopened.NextAfter(1));
        Assert.Equal(2, reopened.Append(Events(5, 1)));
        Assert.Equal([5UL], reopened.NextAfter(1)!.Events.Select(e => e.Serial));
    }

    [Fact]
    public void Acknowledged_segments_are_deleted_from_disk()
    {
        using var spool = new BatchSpool(_directory, 1024 * 1024);
        long last = 0;
        for (var i = 0; i < 200; i++)
        {
            last = spool.Append(Events((ulong)(i * 10), 10)) ?? throw new InvalidOperationException("spool full");
        }

        Assert.True(Directory.GetFiles(_directory, "segment-*").Length > 1);
        spool.Acknowledge(last);
        Assert.Empty(Directory.GetFiles(_directory, "segment-*"));
        Assert.Equal(0, spool.Bytes);
        Assert.Equal(0, spool.PendingCount);
    }

    [Fact]
    public void A_full_spool_refuses_new_batches_and_keeps_the_old_ones()
    {
        using var spool = new BatchSpool(_directory, 1024 * 1024);
        var accepted = 0;
        while (spool.Append(Events((ulong)(accepted * 50), 50)) is not null)
        {
            accepted++;
        }

        Assert.True(accepted > 10);
        Assert.True(spool.Bytes <= 1024 * 1024);
        Assert.Equal(accepted, spool.PendingCount);
        Assert.Equal(1, spool.NextAfter(0)!.Seq);
    }

    [Fact]
    public void A_spooled_batch_goes_to_the_hub_as_the_bytes_its_events_would_encode_to()
    {
        using var spool = new BatchSpool(_directory, 16 * 1024 * 1024);
        var events = Events(1, 3);
        spool.Append(events);
        var spooled = spool.NextAfter(0)!;

        // The dashboard decodes with the plain contractless resolver: the bytes must not differ.
        var plain = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);
        var shipping = MessagePackSerializerOptions.Standard.WithResolver(SpooledEventsFormatter.Resolver);
        Assert.IsType<SpooledEvents>(spooled.Events);
        Assert.Equal(MessagePackSerializer.Serialize(Batch(events), plain), MessagePackSerializer.Serialize(Batch(spooled.Events), shipping));
        Assert.Equal([1UL, 2, 3], spooled.Events.Select(e => e.Serial));
    }

    private static CollectorBatch Batch(IReadOnlyList<ExecEventMessage> events) =>
        new() { CollectorId = "collector", Host = "host", BatchSeq = 1, Events = events, Status = new CollectorStatus { SerialGaps = 2 } };

    private static ExecEventMessage[] Events(ulong first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => TestEvents.Expr(first + (ulong)i).ToMessage())];
}
