using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Shipping;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Collector.Tests.Pipeline;

public sealed class AcknowledgementPatienceTests
{
    [Fact]
    public void Runs_out_after_the_limit_without_an_acknowledgement_while_waiting()
    {
        var time = new FakeTimeProvider();
        var patience = new AcknowledgementPatience(time);
        Assert.False(patience.RunsOut(Status(acknowledged: 10), waiting: true));

        time.Advance(AcknowledgementPatience.Limit - TimeSpan.FromSeconds(1));
        Assert.False(patience.RunsOut(Status(acknowledged: 10), waiting: true));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(patience.RunsOut(Status(acknowledged: 10), waiting: true));
    }

    [Fact]
    public void An_acknowledgement_or_a_moment_with_nothing_to_wait_for_starts_it_over()
    {
        var time = new FakeTimeProvider();
        var patience = new AcknowledgementPatience(time);
        patience.RunsOut(Status(acknowledged: 10), waiting: true);

        time.Advance(AcknowledgementPatience.Limit);
        Assert.False(patience.RunsOut(Status(acknowledged: 11), waiting: true));

        time.Advance(AcknowledgementPatience.Limit);
        Assert.False(patience.RunsOut(Status(acknowledged: 11), waiting: false));

        time.Advance(AcknowledgementPatience.Limit - TimeSpan.FromSeconds(1));
        Assert.False(patience.RunsOut(Status(acknowledged: 11), waiting: true));
    }

    private static ShippingStatus Status(long acknowledged) => new()
    {
        Connected = false,
        EventsAccepted = 100,
        EventsAcknowledged = acknowledged,
        Drained = false,
        LastSpooledBatch = 3,
        AcknowledgedBatch = 1,
        PendingBatches = 2,
        SpoolBytes = 0,
        SpoolDrops = 0,
        RejectedBatches = 0,
        RejectedEvents = 0,
        Reconnects = 0,
    };
}
