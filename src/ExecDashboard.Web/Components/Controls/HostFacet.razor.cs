using System.Globalization;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// The hosts of the viewed session (or of the live window) with their exec counts, to narrow every
/// page to one host or show all. Counts follow the live stream at most once a second.
/// </summary>
public sealed partial class HostFacet
{
    private IReadOnlyList<HostCount> _hosts = [];

    protected override TimeSpan RedrawInterval => TimeSpan.FromSeconds(1);

    protected override bool FollowsStoreChanges => Viewed.IsLive || Viewed.SessionId == Store.ActiveSession?.Id;

    private string Total => _hosts.Sum(h => h.Execs).ToString(CultureInfo.InvariantCulture);

    /// <summary>The hosts with execs, and the chosen one even when it has none here.</summary>
    private IEnumerable<HostCount> Choices =>
        Viewed.Host is { } chosen && !_hosts.Any(h => string.Equals(h.Host, chosen, StringComparison.Ordinal))
            ? _hosts.Append(new HostCount(chosen, 0))
            : _hosts;

    protected override Task OnInitializedAsync() => PullAsync();

    protected override async Task PullAsync() => _hosts = await Store.GetHostCountsAsync(Viewed.SessionId);
}
