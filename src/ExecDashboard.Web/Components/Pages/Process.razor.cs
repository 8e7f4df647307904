using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Timelines;
using ExecDashboard.Domain.Trees;
using ExecDashboard.Web.Components.Controls;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;

namespace ExecDashboard.Web.Components.Pages;

/// <summary>
/// One process: its chain to PID 1 with how each link is known, its own execs, and the tree of
/// everything it started, redrawn as children arrive (at most once per <see cref="GraphInterval"/>).
/// </summary>
public sealed partial class Process
{
    internal static readonly TimeSpan GraphInterval = TimeSpan.FromSeconds(1);

    /// <summary>Execs read to build the tree; a storm below a process can be far larger.</summary>
    internal const int MaxTreeExecs = 50_000;

    private ProcessKey _key;
    private string? _title;
    private string? _error;
    private IReadOnlyList<ChainStep> _chain = [];
    private IReadOnlyList<StoredExec> _execs = [];
    private ProcessGraphDto _graph = ProcessGraphDto.Empty;
    private int _descendantExecs;
    private ProcessLifetime _lifetime = ProcessLifetime.Unknown;
    private TimelineLaneSet _lanes = TimelineLaneSet.Empty;
    private DateTimeOffset? _started;
    private long _graphVersion = -1;

    [Inject]
    public required NavigationManager Navigation { get; init; }

    /// <summary>The process key, <c>boot/pid/start</c>.</summary>
    [Parameter]
    public string? Key { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        _error = null;
        if (!ProcessKey.TryParse(Uri.UnescapeDataString(Key ?? string.Empty), out _key))
        {
            _error = $"'{Key}' is not a process key of the form boot/pid/start.";
            return;
        }

        await LoadProcessAsync();
        _graphVersion = -1;
        await RebuildGraphAsync();
    }

    // Redraw at most once per interval: a storm below this process changes it constantly.
    protected override TimeSpan RedrawInterval => GraphInterval;

    // A stored session does not change.
    protected override bool FollowsStoreChanges => _error is null && Viewed.IsLive;

    protected override async Task PullAsync()
    {
        if (_lifetime.State != LifetimeState.Ended && (await Store.GetLifetimesAsync([_key])).TryGetValue(_key, out var lifetime))
        {
            _lifetime = lifetime; // it may end while we look
        }

        await RebuildGraphAsync();
    }

    protected override Task OnViewedSessionChangedAsync() => OnParametersSetAsync();

    private async Task LoadProcessAsync()
    {
        var process = await Store.GetProcessAsync(_key);
        var own = await Store.QueryEventsAsync(new ExecFilter { Pid = _key.Pid, SessionId = Viewed.SessionId }, 200);
        _execs = [.. Distinct(own.Where(e => e.Event.Process == _key)).Take(20)];
        var latest = _execs.Count > 0 ? _execs[0].Event : null;
        if (process is null && latest is null)
        {
            _error = $"No process {_key} is known (in this recording).";
            _chain = [];
            return;
        }

        _title = latest is not null
            ? ExecLabels.Of(latest.Exec.Exe, latest.Exec.Pid, latest.Exec.Argv)
            : ExecLabels.Of(process!.Exe, process.Pid, process.Argv);
        _lifetime = process?.Lifetime ?? ProcessLifetime.Unknown;
        _started = _execs.Count > 0 ? _execs[^1].Event.Exec.Time : process?.FirstSeen;
        var ancestry = await Store.GetAncestryAsync(_key);
        _chain = ChainStep.Of(_key, _title, process?.Provenance ?? Provenance.ExecSeen, ancestry, latest);
    }

    private async Task RebuildGraphAsync()
    {
        var version = Store.Version;
        if (version == _graphVersion)
        {
            return;
        }

        _graphVersion = version;
        var filter = new ExecFilter { DescendantOf = _key, SessionId = Viewed.SessionId };
        IReadOnlyList<StoredExec> below = Viewed.IsLive ? Store.GetRecentEvents(filter, MaxTreeExecs) : [];
        if (below.Count == 0)
        {
            // Older than the hot window, or a stored session: SQLite has it.
            below = await Store.QueryEventsAsync(filter, MaxTreeExecs);
        }

        below = Distinct(below);
        _descendantExecs = below.Count(e => e.Event.Process != _key);
        var ends = await LoadEndsAsync(below);
        var endedBadly = ends.Where(e => e.Value.Status.Failed).Select(e => e.Key).ToHashSet();
        var graph = await Task.Run(() => DescendantTreeBuilder.Build(below.Select(e => e.Event), _key, endedBadly: endedBadly));
        _lanes = await BuildTimelineAsync(below, ends);
        var mapped = ProcessGraphMapper.Map(graph, [.. _chain.Skip(1).Select(c => new GraphAncestor(c.Key.ToString(), c.Label, c.Provenance))]);
        _graph = MarkFailedEnds(mapped, ends);
    }

    /// <summary>
    /// Processes whose end is looked up one by one in the live stream: as many as the tree reads
    /// execs, so a run of 224 sendmail loops (25,425 processes) has every end.
    /// </summary>
    internal const int MaxTimelineEnds = MaxTreeExecs;

    /// <summary>
    /// The ends of this process and those below it. A stored session's come in one query (25,425
    /// looked up one by one took 0.6 s, a third of the page's time); the live stream's are looked
    /// up for this process, then those that have children (the runs whose growing durations the
    /// timeline draws), then the newest others, up to <see cref="MaxTimelineEnds"/>.
    /// </summary>
    private async Task<IReadOnlyDictionary<ProcessKey, ProcessEnd>> LoadEndsAsync(IReadOnlyList<StoredExec> below)
    {
        if (Viewed.SessionId is { } session)
        {
            return await Store.GetSessionEndsAsync(session);
        }

        var parents = below.Select(e => e.Event.Parent).ToHashSet();
        var processes = below.Select(e => e.Event.Process).Distinct().ToList();
        var lifetimes = await Store.GetLifetimesAsync([.. processes.Where(parents.Contains).Prepend(_key).Concat(processes.Where(p => !parents.Contains(p))).Distinct().Take(MaxTimelineEnds)]);
        return lifetimes.Where(l => l.Value.End is not null).ToDictionary(l => l.Key, l => l.Value.End!);
    }

    /// <summary>The process and its descendants as lanes of bars, with their reported ends.</summary>
    private async Task<TimelineLaneSet> BuildTimelineAsync(IReadOnlyList<StoredExec> below, IReadOnlyDictionary<ProcessKey, ProcessEnd> ends)
    {
        var builder = new ProcessSpanBuilder();
        for (var i = below.Count - 1; i >= 0; i--)
        {
            builder.Add(below[i].Event);
        }

        foreach (var end in ends.Values)
        {
            builder.Add(end);
        }

        return await Task.Run(() => TimelineLanes.Build(builder.Build(), _key));
    }

    private void OpenProcess(ProcessKey key)
    {
        if (key != _key)
        {
            Navigation.NavigateTo(ProcessLinks.Process(key, Viewed.SessionId));
        }
    }

    /// <summary>Single processes of the tree that ended badly get their end on their card (groups stand for many).</summary>
    private static ProcessGraphDto MarkFailedEnds(ProcessGraphDto graph, IReadOnlyDictionary<ProcessKey, ProcessEnd> ends)
    {
        if (!ends.Values.Any(e => e.Status.Failed))
        {
            return graph;
        }

        var nodes = graph.Nodes.Select(n =>
            n.Count <= 1 && n.Kind != "ancestor" && ProcessKey.TryParse(n.Key, out var key) && ends.TryGetValue(key, out var end) && end.Status.Failed
                ? n with { FailedEnd = end.Status.Signal is { } signal ? SignalNames.Name(signal) ?? $"signal {signal}" : $"exit {end.Status.Code}" }
                : n).ToList();
        return graph with { Nodes = nodes };
    }

    /// <summary>
    /// Each exec once: outside a chosen session, SQLite also holds imported copies of live
    /// recordings (same process keys and serials), which would otherwise show twice.
    /// </summary>
    private static List<StoredExec> Distinct(IEnumerable<StoredExec> execs) =>
        [.. execs.DistinctBy(e => (e.Event.Process, e.Event.Exec.Serial, e.Event.Exec.Time))];

    private void OpenNode(ProcessGraphNodeDto node)
    {
        if (ProcessKey.TryParse(node.Key, out var key) && key != _key)
        {
            Navigation.NavigateTo(ProcessLinks.Process(key, Viewed.SessionId));
        }
    }

    /// <summary>One line of the ancestry list: the process itself first, then its ancestors to PID 1.</summary>
    internal sealed record ChainStep(ProcessKey Key, string Label, Provenance Provenance, bool IsSelf)
    {
        public static IReadOnlyList<ChainStep> Of(ProcessKey self, string selfLabel, Provenance selfProvenance, IReadOnlyList<ProcessInfo> stored, ExecEvent? latest)
        {
            var steps = new List<ChainStep> { new(self, selfLabel, selfProvenance, IsSelf: true) };
            if (stored.Count > 0)
            {
                steps.AddRange(stored.Select(a => new ChainStep(a.Key, ExecLabels.Of(a.Exe, a.Pid, a.Argv), a.Provenance, IsSelf: false)));
            }
            else if (latest is not null)
            {
                // The store has not merged this chain (yet): the event carries it as the collector saw it.
                steps.AddRange(latest.Ancestry.Select(a => new ChainStep(a.Key, ExecLabels.Of(a), a.Provenance, IsSelf: false)));
            }

            return steps;
        }
    }
}
