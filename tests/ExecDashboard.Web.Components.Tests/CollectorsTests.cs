using ExecDashboard.Contracts;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

public sealed class CollectorsTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    [Fact]
    public void Shows_each_collectors_state_and_calls_out_losses()
    {
        var registry = _ctx.Services.GetRequiredService<CollectorRegistry>();
        registry.Connected("conn-1");
        registry.Accepted("conn-1", Batch("quiet-host", new CollectorStatus { EventsPerSec = 12.5, KernelLost = 0 }), new IngestResult(1, 10, 0));
        registry.Connected("conn-2");
        registry.Accepted("conn-2", Batch("storm-host", new CollectorStatus { EventsPerSec = 900, KernelLost = 42, SerialGaps = 3 }), new IngestResult(1, 500, 2));

        var cut = _ctx.Render<Collectors>();

        Assert.Equal(2, cut.FindAll("[data-testid=collector-row]").Count);
        var loss = Assert.Single(cut.FindAll("[data-testid=collector-loss]")).TextContent;
        Assert.Contains("storm-host", loss, StringComparison.Ordinal);
        Assert.Contains("the kernel dropped 42 records; 3 serial numbers never arrived", loss, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll(".exec-loss").Count);
    }

    private static CollectorBatch Batch(string host, CollectorStatus status) => new()
    {
        CollectorId = $"{host}-collector",
        Host = host,
        BatchSeq = 1,
        Events = [],
        Status = status,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
