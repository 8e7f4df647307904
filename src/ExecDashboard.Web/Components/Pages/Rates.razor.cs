using System.Globalization;
using ExecDashboard.Domain;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Configuration;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace ExecDashboard.Web.Components.Pages;

/// <summary>
/// Which programs exec the most: top programs over a range (live: the last minute to hour; a stored
/// recording: its own start to end, or part of it), each with runs, children, a sparkline of children
/// per run and the growth verdict; the selected program's runs and rate as charts, its newest runs
/// and busiest processes one click away; one storm alert per program.
/// </summary>
public sealed partial class Rates
{
    internal static readonly (string Label, TimeSpan Window)[] Windows =
    [
        ("1m", TimeSpan.FromMinutes(1)),
        ("5m", TimeSpan.FromMinutes(5)),
        ("15m", TimeSpan.FromMinutes(15)),
        ("1h", TimeSpan.FromHours(1)),
    ];

    /// <summary>Charts redraw at most this often, however busy the stream.</summary>
    internal static readonly TimeSpan ChartInterval = TimeSpan.FromSeconds(1);

    /// <summary>Up to this many runs a bar each; more are drawn as a line.</summary>
    internal const int MaxBars = 60;

    private const int ChartPoints = 60;
    private const int ListedRuns = 10;
    private const int ListedFailedRuns = 12;

    // Tall enough for the chart's own labels to be read beside a 224-run x axis (at 200 px they were 7 px high).
    private const string RunChartHeight = "300px";

    private readonly LineChartOptions _lineOptions = new() { ShowDataMarkers = false, ShowLegend = false };
    private readonly ChartOptions _runOptions = new() { ShowLegend = false };
    private IExecAnalytics? _analysis;
    private TimeSpan _window = Windows[0].Window;
    private TimeRange? _recorded;
    private int _fromOffset;
    private int _toOffset;
    private TimeRange _range;
    private int _top = 10;
    private double _stormThreshold;
    private IReadOnlyList<ProgramRate> _programs = [];
    private IReadOnlyList<ProgramRate> _storms = [];
    private HashSet<ProgramSignature> _alerted = [];
    private ProgramSignature? _selected;
    private ProgramRate? _selectedRate;
    private IReadOnlyList<ParentRate> _parents = [];
    private List<ChartSeries<double>> _rateSeries = [];
    private string[] _rateLabels = [];
    private List<ChartSeries<double>> _runSeries = [];
    private string[] _runLabels = [];
    private int _runCount;
    private List<ChartSeries<double>> _durationSeries = [];
    private int _durationsKnown;
    private string? _durationSummary;
    private IReadOnlyList<FailedRun> _failedRuns = [];

    [Inject]
    public required RecordingAnalyses Analyses { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IOptions<DashboardOptions> Options { get; init; }

    /// <summary>The storm threshold in execs/s, e.g. <c>/rates?storm=20</c>.</summary>
    [SupplyParameterFromQuery(Name = "storm")]
    public double? StormQuery { get; set; }

    protected override TimeSpan RedrawInterval => ChartInterval;

    // A finished recording does not change; the live stream (or the recording that is the live session) does.
    protected override bool FollowsStoreChanges => Viewed.IsLive || Viewed.SessionId == Store.ActiveSession?.Id;

    private int RecordedSeconds => _recorded is { } r ? (int)(r.ToSecond - r.FromSecond) : 0;

    private bool IsWholeRecording => _fromOffset == 0 && _toOffset == RecordedSeconds;

    private TimeSpan Bucket => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(_range.Length.TotalSeconds / ChartPoints)));

    private string BucketText => Bucket.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Bucket.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Bucket.TotalMinutes:0.#} min");

    private string RangeText => string.Create(CultureInfo.InvariantCulture,
        $"{_range.From:yyyy-MM-dd HH:mm:ss} to {_range.To:HH:mm:ss} UTC ({Duration(_range.Length)}{(_recorded is { } r && r.Length > RecordingRange.Kept ? $"; the last {Duration(RecordingRange.Kept)} of the recording are kept" : null)})");

    private object StormKey => _storms.Count > 0 ? _storms[0].Program : string.Empty;

    protected override void OnInitialized() => _stormThreshold = Options.Value.StormThresholdPerSecond;

    protected override async Task OnParametersSetAsync()
    {
        if (StormQuery is > 0 and var threshold)
        {
            _stormThreshold = threshold;
        }

        await PullAsync();
    }

    protected override async Task OnViewedSessionChangedAsync()
    {
        _selected = null;
        _alerted = [];
        _recorded = null;
        await PullAsync();
    }

    protected override async Task PullAsync()
    {
        var analysis = await Analyses.ForAsync(Viewed.SessionId, Viewed.Host);
        if (!ReferenceEquals(analysis, _analysis))
        {
            _analysis = analysis;
            _recorded = null;
        }

        UpdateRange();
        _programs = _analysis.TopPrograms(_range, _top);
        _selected ??= _programs.Count > 0 ? _programs[0].Program : null;
        UpdateSelection();
        await LoadRunDurationsAsync();
        UpdateStorms();
    }

    private void UpdateRange()
    {
        if (Viewed.IsLive || _analysis!.Recorded is not { } recorded)
        {
            _recorded = null;
            _range = TimeRange.Ending(_analysis!.Now, _window);
            return;
        }

        // A stored recording: its own start to end (the tracker keeps its last hour), a slider pair to zoom.
        var whole = RecordingRange.Whole(recorded);
        if (_recorded != whole)
        {
            _recorded = whole;
            _fromOffset = 0;
            _toOffset = RecordedSeconds;
        }

        _range = new TimeRange(whole.From.AddSeconds(_fromOffset), whole.From.AddSeconds(Math.Max(_fromOffset, _toOffset)));
    }

    private void UpdateSelection()
    {
        _selectedRate = _selected is { } program ? _analysis!.RateOf(program, _range) : null;
        if (_selectedRate is not { } selected)
        {
            _runSeries = [];
            _runLabels = [];
            _rateSeries = [];
            _rateLabels = [];
            _parents = [];
            return;
        }

        var runs = selected.ChildrenPerRun;
        var first = selected.DroppedRuns + 1;
        _runCount = runs.Count;
        _runSeries = [new ChartSeries<double> { Name = "children per run", Data = runs.Select(r => (double)r.ChildExecs).ToArray() }];
        var every = Math.Max(1, runs.Count / 10);
        _runLabels = [.. runs.Select((_, i) => i % every == 0 ? string.Create(CultureInfo.InvariantCulture, $"#{first + i}") : string.Empty)];

        var points = _analysis!.SeriesOf(selected.Program, _range, Bucket);
        var seconds = Bucket.TotalSeconds;
        _rateSeries = [new ChartSeries<double> { Name = selected.Label, Data = points.Select(p => p.Count / seconds).ToArray() }];
        var format = _range.Length > TimeSpan.FromHours(2) ? "MM-dd HH:mm" : "HH:mm:ss";
        _rateLabels = [.. points.Select((p, i) => i % 10 == 0 ? p.Start.ToString(format, CultureInfo.InvariantCulture) : string.Empty)];

        // Per-process rows of the program, over the range's length ending with the window's end.
        var window = TimeSpan.FromSeconds(Math.Clamp(_range.Length.TotalSeconds, 1, RecordingRange.Kept.TotalSeconds));
        _parents = [.. _analysis.TopParents(window, 200).Where(p => _analysis.ProgramOf(p.Parent) == selected.Program).Take(ListedRuns)];
    }

    private void UpdateStorms()
    {
        _storms = _analysis!.ProgramStormsAt(_stormThreshold);
        var storming = _storms.Select(s => s.Program).ToHashSet();

        // A toast only when a program starts storming in the live stream; a recording shows its alert alone.
        if (Viewed.IsLive)
        {
            foreach (var storm in _storms.Where(s => !_alerted.Contains(s.Program)))
            {
                Snackbar.Add($"Exec storm: {storm.Label} at {Format(storm.PerSecond)} execs/s, spawning {SpawnText(storm.TopChildren)}", Severity.Error,
                    configure => configure.DuplicatesBehavior = SnackbarDuplicatesBehavior.Prevent);
            }
        }

        // A program that calmed down may alert again when it next storms.
        _alerted = storming;
    }

    private Task SetWindowAsync(TimeSpan window)
    {
        _window = window;
        return PullAsync();
    }

    private Task ShowWholeRecordingAsync()
    {
        _fromOffset = 0;
        _toOffset = RecordedSeconds;
        return PullAsync();
    }

    private Task SetFromAsync(int offset)
    {
        _fromOffset = Math.Min(offset, _toOffset);
        return PullAsync();
    }

    private Task SetToAsync(int offset)
    {
        _toOffset = Math.Max(offset, _fromOffset);
        return PullAsync();
    }

    private Task SetTopAsync(int top)
    {
        _top = Math.Clamp(top, 1, 50);
        return PullAsync();
    }

    private Task SetThresholdAsync(double threshold)
    {
        _stormThreshold = threshold > 0 ? threshold : _stormThreshold;
        return PullAsync();
    }

    private async Task Select(ProgramSignature program)
    {
        _selected = program;
        UpdateSelection();
        await LoadRunDurationsAsync();
    }

    /// <summary>
    /// Duration of each run of the selected program, beside its children: the other face of
    /// quadratic work. Runs whose end is not known (still running, or no exits reported) are 0 and
    /// counted in the caption.
    /// </summary>
    private async Task LoadRunDurationsAsync()
    {
        if (_selectedRate is not { } selected)
        {
            _durationSeries = [];
            _durationsKnown = 0;
            _durationSummary = null;
            _failedRuns = [];
            return;
        }

        var runs = selected.ChildrenPerRun;
        var lifetimes = await Store.GetLifetimesAsync([.. runs.Select(r => r.Parent).Distinct()]);
        var ends = runs.Select(r => lifetimes.TryGetValue(r.Parent, out var l) ? l.End : null).ToArray();
        // Milliseconds: the chart's axis ticks are whole numbers, and sendmail runs last well under a second.
        var milliseconds = ends.Select(end => end?.Duration.TotalMilliseconds ?? 0).ToArray();
        _durationsKnown = ends.Count(end => end is not null);
        _durationSeries = _durationsKnown == 0 ? [] : [new ChartSeries<double> { Name = "milliseconds per run", Data = milliseconds }];
        _durationSummary = DurationSummary(ends, selected.DroppedRuns);
        _failedRuns = [.. ends.Select((end, i) => (End: end, i))
            .Where(x => x.End is { Status.Failed: true })
            .Select(x => new FailedRun(selected.DroppedRuns + x.i + 1, runs[x.i].Parent, EndText(x.End!.Status)))];
    }

    private string FailedRunsText => _failedRuns.Count switch
    {
        1 => "1 run ended badly",
        var n when n > ListedFailedRuns => string.Create(CultureInfo.InvariantCulture, $"{CountText.Of(n)} runs ended badly, the first {ListedFailedRuns}"),
        var n => string.Create(CultureInfo.InvariantCulture, $"{CountText.Of(n)} runs ended badly"),
    };

    /// <summary>
    /// <c>Run #1 took 3 ms, run #224 449 ms (150× as long); the 224 runs 50.6 s together.</c>: the
    /// numbers that make a slowly rising line a story, however many runs there are.
    /// </summary>
    internal static string? DurationSummary(IReadOnlyList<ProcessEnd?> ends, long droppedRuns)
    {
        var known = ends.Select((end, i) => (End: end, Number: droppedRuns + i + 1)).Where(x => x.End is not null).ToList();
        if (known.Count < 2)
        {
            return null;
        }

        var (first, last) = (known[0], known[^1]);
        var ratio = first.End!.Duration > TimeSpan.Zero ? last.End!.Duration / first.End.Duration : double.NaN;
        var times = double.IsFinite(ratio) && ratio >= 1.5 ? string.Create(CultureInfo.InvariantCulture, $" ({ratio:#,0.#}× as long)") : null;
        var total = known.Aggregate(TimeSpan.Zero, (sum, x) => sum + x.End!.Duration);
        return string.Create(CultureInfo.InvariantCulture,
            $"Run #{first.Number} took {DurationText.Short(first.End.Duration)}, run #{last.Number} {DurationText.Short(last.End!.Duration)}{times}; the {CountText.Of(known.Count)} runs {DurationText.Short(total)} together.");
    }

    private static string EndText(ExitStatus status) => status.Signal is { } signal
        ? $"killed by {SignalNames.Name(signal) ?? $"signal {signal}"}"
        : $"exit {status.Code}";

    /// <summary>A run of the selected program that exited non-zero or was killed, by its number among the runs.</summary>
    private sealed record FailedRun(long Number, ProcessKey Process, string Ended);

    private static IEnumerable<(InvocationPoint Run, long Number)> NewestRuns(ProgramRate program) =>
        program.ChildrenPerRun.Select((r, i) => (r, program.DroppedRuns + i + 1)).Reverse().Take(ListedRuns);

    internal static string Format(double perSecond) => perSecond.ToString(perSecond < 10 ? "0.##" : "#,0", CultureInfo.InvariantCulture);


    internal static string RunsText(ProgramRate program) => program.Runs == 1
        ? "1 run"
        : string.Create(CultureInfo.InvariantCulture, $"{CountText.Of(program.Runs)} runs");

    internal static string ChainText(ProgramRate program) => program.Chains.Count == 0
        ? string.Empty
        : string.Join("; ", program.Chains.Take(2).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Chain} ×{CountText.Of(c.Runs)}")));

    internal static string SpawnText(IReadOnlyList<ChildExeCount> children) =>
        children.Count == 0
            ? "nothing known"
            : string.Join(", ", children.Take(3).Select(c => string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(c.Exe)} ({CountText.Of(c.Count)})")));

    internal static string VerdictText(GrowthAssessment growth) => growth.Verdict switch
    {
        GrowthVerdict.Growing => string.Create(CultureInfo.InvariantCulture, $"growing, {growth.Shape} (k ≈ {growth.Exponent:0.0})"),
        GrowthVerdict.Shrinking => string.Create(CultureInfo.InvariantCulture, $"shrinking (k ≈ {growth.Exponent:0.0})"),
        GrowthVerdict.Flat => string.Create(CultureInfo.InvariantCulture, $"flat, {growth.Shape} (k ≈ {growth.Exponent:0.0})"),
        _ => "too few runs to tell",
    };

    internal static string GrowthNote(ProgramRate program)
    {
        var newest = program.DroppedRuns + program.ChildrenPerRun.Count;
        var judged = program.Growth.JudgedRuns;
        var kept = program.DroppedRuns > 0 ? string.Create(CultureInfo.InvariantCulture, $" The oldest {CountText.Of(program.DroppedRuns)} runs are counted, not kept.") : null;
        var head = string.Create(CultureInfo.InvariantCulture, $"Total work of n runs grows like n^k: k ≈ 1 is the same work per run, k ≈ 2 each run doing more than the last (quadratic).");
        var note = program.Growth.NewestLeftOut
            ? string.Create(CultureInfo.InvariantCulture, $" The newest run (#{newest}, {CountText.Of(program.ChildrenPerRun[^1].ChildExecs)} children so far) may still be running, so it is left out.")
            : string.Create(CultureInfo.InvariantCulture, $" The newest run (#{newest}) may still be running; it is judged because it already made at least as many children as the one before.");
        return program.Growth.Verdict == GrowthVerdict.TooFewInvocations
            ? string.Create(CultureInfo.InvariantCulture, $"{judged} completed runs; at least {GrowthAssessment.MinimumPoints} are needed to judge.{note}")
            : head + note + kept;
    }

    private static string Duration(TimeSpan span) => span.TotalMinutes < 2
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : span.TotalHours < 2
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h");
}
