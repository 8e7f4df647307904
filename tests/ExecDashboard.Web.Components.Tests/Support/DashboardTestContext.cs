using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace ExecDashboard.Web.Components.Tests.Support;

/// <summary>
/// A bUnit context with the real store (SQLite in a temporary folder, the in-memory hot window),
/// the real view services, MudBlazor, and a clock the test moves.
/// </summary>
public sealed class DashboardTestContext : BunitContext
{
    private readonly string _data;
    private long _batch;

    static DashboardTestContext()
    {
        // Pages read SQLite on the thread pool; on a busy 2-core machine that can take more than bUnit's default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
    }

    public DashboardTestContext(DateTimeOffset? now = null, Action<DashboardOptions>? configure = null)
    {
        _data = Directory.CreateTempSubdirectory("execdash-bunit-").FullName;
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var options = new DashboardOptions { DataDirectory = _data, NotifyInterval = TimeSpan.FromMilliseconds(100) };
        configure?.Invoke(options);
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(Options.Create(options));
        Services.AddSingleton(DashboardPaths.Resolve(options));
        Services.AddSingleton<FleetExecAnalytics>();
        Services.AddSingleton<IExecAnalytics>(sp => sp.GetRequiredService<FleetExecAnalytics>());
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(sp => StoreEngines.Open(options, sp.GetRequiredService<DashboardPaths>(), sp.GetRequiredService<TimeProvider>()));
        Services.AddSingleton<ExecStore>();
        Services.AddSingleton<CollectorRegistry>();
        Services.AddSingleton(sp => new ExecDashboard.Web.Fleet.FleetCollectors(
            sp.GetRequiredService<CollectorRegistry>(), sp.GetRequiredService<ExecStore>(), sp.GetRequiredService<TimeProvider>()));
        Services.AddMudServices();
        Services.AddDashboardViews();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

        // Blazor.Diagrams measures its canvas on first render; a loose (null) answer would fail it.
        JSInterop.Setup<Blazor.Diagrams.Core.Geometry.Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true)
            .SetResult(new Blazor.Diagrams.Core.Geometry.Rectangle(0, 0, 800, 560));
    }

    public FakeTimeProvider Time { get; }

    public ExecStore Store => Services.GetRequiredService<ExecStore>();

    /// <summary>Stores events as one collector batch, as the ingest worker does (the live analytics see them too).</summary>
    public Task AppendAsync(params ExecEvent[] events)
    {
        Store.AppendCollectorBatch("test-collector", "test-host", ++_batch, 0, 0, events);
        return Task.CompletedTask;
    }

    /// <summary>Stores events as an imported session (not live), as an upload does.</summary>
    public SessionInfo Import(string name, IEnumerable<ExecEvent> events) =>
        Store.Import(name, events.Select((e, i) => (Domain.Sessions.SessionItem)new Domain.Sessions.SessionEventItem(i, e)));

    /// <summary>Moves the clock past the store's notification throttle so a pending notification runs.</summary>
    public void PassNotifyInterval() => Time.Advance(TimeSpan.FromMilliseconds(200));

    /// <summary>Disposes the renderer and services (MudBlazor's are async-only), then the temporary folder.</summary>
    public async Task CloseAsync()
    {
        await DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
