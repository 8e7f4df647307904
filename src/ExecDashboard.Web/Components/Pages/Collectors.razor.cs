using System.Globalization;
using ExecDashboard.Web.Fleet;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;

namespace ExecDashboard.Web.Components.Pages;

/// <summary>Each collector's state: connection, throughput, and every kind of loss it reported, shown, never hidden.</summary>
public sealed partial class Collectors
{
    private IReadOnlyList<CollectorState> _collectors = [];

    [Inject]
    public required FleetCollectors Fleet { get; init; }

    protected override void OnInitialized() => _collectors = Snapshot();

    protected override Task PullAsync()
    {
        _collectors = Snapshot();
        return Task.CompletedTask;
    }

    /// <summary>The collectors of the viewed host, or all of them.</summary>
    private List<CollectorState> Snapshot() =>
        [.. Fleet.Snapshot().Where(c => Viewed.Host is not { } host || string.Equals(c.Host, host, StringComparison.Ordinal))];

    /// <summary>Replicas share the store: each row says which one the collector ships to.</summary>
    private bool SeveralReplicas => _collectors.Any(c => c.Replica is not null);

    internal static bool HasLosses(CollectorState c) => c.KernelLost > 0 || c.SerialGaps > 0 || c.QueueDrops > 0 || c.SpoolDrops > 0;

    internal static string LossText(CollectorState c)
    {
        var parts = new List<string>();
        if (c.KernelLost > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the kernel dropped {c.KernelLost} records"));
        }

        if (c.SerialGaps > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{c.SerialGaps} serial numbers never arrived"));
        }

        if (c.QueueDrops > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{c.QueueDrops} records overflowed its queue"));
        }

        if (c.SpoolDrops > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{c.SpoolDrops} batches did not fit its spool"));
        }

        return string.Join("; ", parts);
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private string Ago(DateTimeOffset when)
    {
        var age = Time.GetUtcNow() - when;
        return age < TimeSpan.FromSeconds(2) ? "now"
            : age < TimeSpan.FromMinutes(2) ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0} s ago")
            : age < TimeSpan.FromHours(2) ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0} min ago")
            : when.ToString("u", CultureInfo.InvariantCulture);
    }
}
