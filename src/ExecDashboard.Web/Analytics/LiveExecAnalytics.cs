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
    private readonly ILogger<LiveExecAnalytics> _logger;

    public LiveExecAnalytics(TimeProvider time, IOptions<DashboardOptions> options, ILogger<LiveExecAnalytics> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _rates = new ExecRateWindow(time);
        _programs = new ProgramTracker(time);
        _programStorms = new ProgramStormDetector(_programs, new ExecStormOptions { Threshold = options.Value.StormThresholdPerSecond });
    }

    public DateTimeOffset Now => _programs.Now;

    public TimeRange? Recorded => _programs.Recorded;

    public void Observe(IReadOnlyList<ExecEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _rates.Record(events);
        foreach (var e in events)
        {
            _programs.Record(e);
        }

        foreach (var e in events)
        {
            if (_programStorms.Check(e.Parent) is { } storm)
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
