using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// The domain's rate window (per parent), program tracker and program storm detector over live
/// events. A storm is logged once per program, however many of its processes storm.
/// </summary>
public sealed partial class LiveExecAnalytics : IExecAnalytics
{
    private readonly ExecRateWindow _rates;
    private readonly ProgramTracker _programs;
    private readonly ProgramStormDetector _programStorms;
    private readonly ExecStormOptions _stormOptions;
    private readonly ILogger<LiveExecAnalytics> _logger;

    public LiveExecAnalytics(TimeProvider time, IOptions<DashboardOptions> options, ILogger<LiveExecAnalytics> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _rates = new ExecRateWindow(time);
        _programs = new ProgramTracker(time);
        _stormOptions = new ExecStormOptions { Threshold = options.Value.StormThresholdPerSecond };
        _programStorms = new ProgramStormDetector(_programs, _stormOptions);
    }

    private LiveExecAnalytics(LiveExecAnalytics source, ILogger<LiveExecAnalytics> logger)
    {
        _logger = logger;
        _rates = source._rates.Clone();
        _programs = source._programs.Clone();
        _stormOptions = source._stormOptions;
        _programStorms = new ProgramStormDetector(_programs, _stormOptions);
    }

    /// <summary>
    /// An independent copy of the rates and programs observed so far, logging storms to
    /// <paramref name="logger"/> from here on (as from the start: a storm under way alerts again).
    /// Not to be called while events are observed.
    /// </summary>
    public LiveExecAnalytics Clone(ILogger<LiveExecAnalytics> logger) => new(this, logger);

    public DateTimeOffset Now => _programs.Now;

    public TimeRange? Recorded => _programs.Recorded;

    public void Observe(IReadOnlyList<ExecEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _rates.Record(events);
        _programs.Record(events);

        // A storm only ever shows as a log line: a host's analytics log nowhere, so they skip it.
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        // Every event is recorded by now, so a parent's count cannot change between its events:
        // checked once per run of its events in a row (a storm's children come one after another),
        // not once per event (a count, a lock and a hash of the program's texts each: 0.8% of a
        // 300,000-exec replay's dashboard CPU per set of analytics, perf).
        var last = ProcessKey.None;
        for (var i = 0; i < events.Count; i++)
        {
            var parent = events[i].Parent;
            if (i > 0 && parent == last)
            {
                continue;
            }

            last = parent;
            if (_programStorms.Check(parent) is { } storm)
            {
                LogStorm(_logger, storm.Label, storm.PerSecond, storm.Chains.FirstOrDefault()?.Chain ?? storm.Label, storm.TopChildren.FirstOrDefault()?.Exe ?? string.Empty);
            }
        }
    }

    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top) => _rates.TopParents(window, top);

    public RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket) => _rates.SeriesOf(parent, window, bucket);

    public InvocationSeries? InvocationsOf(ProcessKey parent) => _programs.SeriesOf(parent);

    public IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top) => _programs.TopPrograms(range, top);

    public ProgramRate? RateOf(ProgramSignature program, TimeRange range) => _programs.RateOf(program, range);

    public IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket) => _programs.SeriesOf(program, range, bucket);

    public ProgramSignature? ProgramOf(ProcessKey parent) => _programs.ProgramOf(parent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exec storm: program {Program} runs {PerSecond:F0} execs/s, started from {Chain}, mostly {Child}.")]
    private static partial void LogStorm(ILogger logger, string program, double perSecond, string chain, string child);
}
