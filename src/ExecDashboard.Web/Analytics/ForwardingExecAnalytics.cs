using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// Analytics that answer every question from another set (<see cref="Answers"/>, which may change
/// from one call to the next) and decide for themselves what observing means.
/// </summary>
public abstract class ForwardingExecAnalytics : IExecAnalytics
{
    public DateTimeOffset Now => Answers.Now;

    public TimeRange? Recorded => Answers.Recorded;

    /// <summary>The analytics that answer now.</summary>
    private protected abstract IExecAnalytics Answers { get; }

    public abstract void Observe(IReadOnlyList<ExecEvent> events);

    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top) => Answers.TopParents(window, top);

    public RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket) => Answers.SeriesOf(parent, window, bucket);

    public InvocationSeries? InvocationsOf(ProcessKey parent) => Answers.InvocationsOf(parent);

    public IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top) => Answers.TopPrograms(range, top);

    public ProgramRate? RateOf(ProgramSignature program, TimeRange range) => Answers.RateOf(program, range);

    public IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket) => Answers.SeriesOf(program, range, bucket);

    public ProgramSignature? ProgramOf(ProcessKey parent) => Answers.ProgramOf(parent);
}
