using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ExecDashboard.Web.Components.Pages;

/// <summary>
/// Which parents exec the most: top N over a window, per-parent rate lines, a storm alert above a
/// configurable rate, and children per invocation with the growth verdict for the selected parent.
/// </summary>
public sealed partial class Rates : IDisposable
{
    internal static readonly (string Label, TimeSpan Window)[] Windows =
    [
        ("1m", TimeSpan.FromMinutes(1)),
        ("5m", TimeSpan.FromMinutes(5)),
        ("15m", TimeSpan.FromMinutes(15)),
        ("1h", TimeSpan.FromHours(1)),
    ];

    /// <summary>Charts redraw at most this often, however busy the stream.</summary>
    internal static readonly TimeSpan RedrawInterval = TimeSpan.FromSeconds(1);

    private const int ChartedParents = 5;
    private const int ChartPoints = 60;

    private readonly LineChartOptions _lineOptions = new() { ShowDataMarkers = false, ShowLegend = true };
    private IDisposable? _subscription;
    private RedrawThrottle? _throttle;
    private IExecAnalytics? _analysis;
    private TimeSpan _window = Windows[0].Window;
    private int _top = 10;
    private double _stormThreshold;
    private IReadOnlyList<ParentRate> _top10 = [];
    private IReadOnlyList<ParentRate> _storms = [];
    private HashSet<ProcessKey> _alerted = [];
    private ProcessKey? _selected;
    private InvocationSeries? _selectedSeries;
    private List<ChartSeries<double>> _rateSeries = [];
    private string[] _rateLabels = [];
    private List<ChartSeries<double>> _invocationSeries = [];
    private string[] _invocationLabels = [];

    [Inject]
    public required RecordingAnalyses Analyses { get; init; }

    [Inject]
    public required ExecStore Store { get; init; }

    [Inject]
    public required ViewedSession Viewed { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IOptions<DashboardOptions> Options { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    /// <summary>The storm threshold in execs/s, e.g. <c>/rates?storm=20</c>.</summary>
    [SupplyParameterFromQuery(Name = "storm")]
    public double? StormQuery { get; set; }

    private TimeSpan Bucket => TimeSpan.FromSeconds(Math.Max(1, _window.TotalSeconds / ChartPoints));

    private string BucketText => Bucket.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Bucket.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Bucket.TotalMinutes:0} min");

    protected override void OnInitialized() => _stormThreshold = Options.Value.StormThresholdPerSecond;

    protected override async Task OnParametersSetAsync()
    {
        if (StormQuery is > 0 and var threshold)
        {
            _stormThreshold = threshold;
        }

        await RefreshAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            Viewed.Changed += OnViewedChanged;
            _throttle = new RedrawThrottle(Time, RedrawInterval);
            _subscription = Store.Subscribe(() => InvokeAsync(async () =>
            {
                if (await _throttle.WaitTurnAsync())
                {
                    await RefreshAsync();
                    StateHasChanged();
                }
            }));
        }
    }

    internal async Task RefreshAsync()
    {
        _analysis = await Analyses.ForAsync(Viewed.SessionId);
        _top10 = _analysis.TopParents(_window, _top);
        _selected ??= _top10.Count > 0 ? _top10[0].Parent : null;
        _selectedSeries = _selected is { } selected ? _analysis.InvocationsOf(selected) : null;
        UpdateStorms();
        UpdateRateChart();
        UpdateInvocationChart();
    }

    private void UpdateStorms()
    {
        _storms = _analysis!.Storms(_stormThreshold);
        var storming = _storms.Select(s => s.Parent).ToHashSet();
        foreach (var storm in _storms.Where(s => !_alerted.Contains(s.Parent)))
        {
            Snackbar.Add($"Exec storm: {ExecLabels.Of(storm.Exe, storm.Parent.Pid, storm.Argv)} at {Format(storm.PerSecond)} execs/s, spawning {SpawnText(storm)}", Severity.Error);
        }

        // A parent that calmed down may alert again when it next storms.
        _alerted = storming;
    }

    private void UpdateRateChart()
    {
        var series = new List<ChartSeries<double>>();
        string[] labels = [];
        foreach (var rate in _top10.Take(ChartedParents))
        {
            if (_analysis!.SeriesOf(rate.Parent, _window, Bucket) is not { } points)
            {
                continue;
            }

            var perSecond = points.Points.Select(p => p.Count / Bucket.TotalSeconds).ToArray();
            series.Add(new ChartSeries<double> { Name = ExecLabels.Of(rate.Exe, rate.Parent.Pid, rate.Argv), Data = perSecond });
            if (labels.Length == 0)
            {
                // A label every tenth point keeps the axis readable.
                labels = [.. points.Points.Select((p, i) => i % 10 == 0 ? p.Start.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : string.Empty)];
            }
        }

        _rateSeries = series;
        _rateLabels = labels;
    }

    private void UpdateInvocationChart()
    {
        if (_selectedSeries is not { } series)
        {
            _invocationSeries = [];
            _invocationLabels = [];
            return;
        }

        _invocationSeries = [new ChartSeries<double> { Name = "child execs", Data = series.Points.Select(p => (double)p.ChildExecs).ToArray() }];
        _invocationLabels = [.. series.Points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"#{i + 1}"))];
    }

    private Task SetWindowAsync(TimeSpan window)
    {
        _window = window;
        return RefreshAsync();
    }

    private Task SetTopAsync(int top)
    {
        _top = Math.Clamp(top, 1, 50);
        return RefreshAsync();
    }

    private Task SetThresholdAsync(double threshold)
    {
        _stormThreshold = threshold > 0 ? threshold : _stormThreshold;
        return RefreshAsync();
    }

    private void Select(ProcessKey parent)
    {
        _selected = parent;
        _selectedSeries = _analysis?.InvocationsOf(parent);
        UpdateInvocationChart();
    }

    private void Open(ProcessKey parent) => Navigation.NavigateTo(ProcessLinks.Process(parent));

    internal static string Format(double perSecond) => perSecond.ToString(perSecond < 10 ? "0.##" : "0", CultureInfo.InvariantCulture);

    internal static string SpawnText(ParentRate rate) =>
        rate.TopChildren.Count == 0
            ? "nothing known"
            : string.Join(", ", rate.TopChildren.Take(3).Select(c => string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(c.Exe)} ({c.Count})")));

    internal static string GrowthText(InvocationSeries? series) => series is null
        ? string.Empty
        : $"{string.Join(", ", series.Points.TakeLast(6).Select(p => p.ChildExecs))}: {VerdictText(series.Growth)}";

    internal static string VerdictText(GrowthAssessment growth) => growth.Verdict switch
    {
        GrowthVerdict.Growing => string.Create(CultureInfo.InvariantCulture, $"growing (+{growth.Slope:0.#} per run): accidentally quadratic?"),
        GrowthVerdict.Shrinking => "shrinking",
        GrowthVerdict.Flat => "flat",
        _ => "too few runs to tell",
    };

    private void OnViewedChanged() => _ = InvokeAsync(async () =>
    {
        _selected = null;
        _alerted = [];
        await RefreshAsync();
        StateHasChanged();
    });

    public void Dispose()
    {
        Viewed.Changed -= OnViewedChanged;
        _subscription?.Dispose();
    }
}
