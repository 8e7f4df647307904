using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Web.Tests.Support;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

/// <summary>The batch being cut encodes each exec as it arrives: its body must read back as the messages an older collector spooled.</summary>
public sealed class PendingBatchTests : IDisposable
{
    private static readonly MessagePackSerializerOptions Contractless = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-pending-batch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(3, 0)]
    [InlineData(3, 2)]
    [InlineData(0, 1)]
    public void Spools_a_body_that_reads_back_as_the_format_1_body_of_the_same_batch(int execs, int ends)
    {
        var events = Enumerable.Range(1, execs).Select(i => TestEvents.Expr((ulong)i)).ToArray();
        var exits = Enumerable.Range(1, ends).Select(i => End(TestEvents.Expr((ulong)(100 + i)))).ToArray();

        var format1 = SpoolPayload.Deserialize(1, SpoolPayload.Serialize(events.Select(e => e.ToMessage()).ToArray(), exits, Contractless), Contractless);
        var format2 = SpoolPayload.Deserialize(1, SpoolPayload.Serialize(events, exits), Contractless);

        Assert.Equal(execs, format2.Events.Count);
        Assert.Equal(MessagePackSerializer.Serialize(format1.Events.ToArray(), Contractless), MessagePackSerializer.Serialize(format2.Events.ToArray(), Contractless));
        Assert.Equal(MessagePackSerializer.Serialize(format1.Exits, Contractless), MessagePackSerializer.Serialize(format2.Exits, Contractless));
    }

    [Fact]
    public void Knows_its_events_encoded_size_and_starts_over_when_cleared()
    {
        var batch = new PendingBatch();
        batch.Add(TestEvents.Expr(1));
        batch.Add(TestEvents.Expr(2));
        var (head, encoded) = batch.Body();
        Assert.Equal((2, 0), (batch.EventCount, batch.ExitCount));
        Assert.InRange(batch.Bytes, encoded.Length, head.Length + encoded.Length);

        batch.Clear();
        batch.Add(TestEvents.Expr(3));

        using var spool = new BatchSpool(_directory, 16 * 1024 * 1024);
        Assert.Equal(1, spool.Append(batch));
        Assert.Equal([3UL], spool.NextAfter(0)!.Events.Select(e => e.Serial));
    }

    private static ProcessExitMessage End(ExecDashboard.Domain.Events.ExecEvent exec) => ProcessExitMessage.From(new ProcessEnd
    {
        Process = exec.Process,
        Started = exec.Exec.Time,
        Time = exec.Exec.Time.AddSeconds(2),
        Status = ExitStatus.Exited(0),
    });
}
