using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Web.Tests.Support;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

/// <summary>The batch being cut encodes each exec as it arrives: its body must be the one the message path spools.</summary>
public sealed class PendingBatchTests : IDisposable
{
    private static readonly MessagePackSerializerOptions Contractless = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-pending-batch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(3, 0)]
    [InlineData(3, 2)]
    [InlineData(0, 1)]
    public void Spools_the_body_the_message_path_spools(int execs, int ends)
    {
        var events = Enumerable.Range(1, execs).Select(i => TestEvents.Expr((ulong)i)).ToArray();
        var exits = Enumerable.Range(1, ends).Select(i => End(TestEvents.Expr((ulong)(100 + i)))).ToArray();

        Assert.Equal(
            SpoolPayload.Serialize(events.Select(e => e.ToMessage()).ToArray(), exits, Contractless),
            SpoolPayload.Serialize(events, exits, Contractless));
    }

    [Fact]
    public void Knows_its_events_encoded_size_and_starts_over_when_cleared()
    {
        var batch = new PendingBatch();
        batch.Add(TestEvents.Expr(1));
        batch.Add(TestEvents.Expr(2));
        var (_, encoded, _) = batch.Body(Contractless);
        Assert.Equal((2, 0, (long)encoded.Length), (batch.EventCount, batch.ExitCount, batch.Bytes));

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
