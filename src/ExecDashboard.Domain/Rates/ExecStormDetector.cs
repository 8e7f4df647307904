using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// Raises a <see cref="StormAlert"/> when a parent's exec rate over a short window passes a threshold,
/// once per storm: the parent must calm down below the re-arm level before it can alert again.
/// </summary>
/// <remarks>
/// Call <see cref="Check"/> on the ingest thread right after <see cref="ExecRateWindow.Record(ExecEvent)"/>.
/// State is one entry per parent currently storming, behind a lock; <see cref="ActiveStorms"/> is
/// safe from any thread and drops parents that calmed down or were evicted from the window.
/// </remarks>
public sealed class ExecStormDetector
{
    private readonly Lock _gate = new();
    private readonly ExecRateWindow _window;
    private readonly TimeProvider _time;
    private readonly ExecStormOptions _options;
    private readonly Dictionary<ProcessKey, StormAlert> _storming = [];

    public ExecStormDetector(ExecRateWindow window, TimeProvider time, ExecStormOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(time);
        _window = window;
        _time = time;
        _options = options ?? new ExecStormOptions();
        _options.Validate();
    }

    /// <summary>Re-evaluates the parent of <paramref name="exec"/>; returns an alert when a storm starts.</summary>
    public StormAlert? Check(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        // The cheap count on every exec; the full rate (labels, top children) only when an alert fires.
        var perSecond = _window.CountOf(exec.Parent, _options.Window) / _options.Window.TotalSeconds;
        lock (_gate)
        {
            if (_storming.ContainsKey(exec.Parent))
            {
                if (perSecond < _options.Threshold * _options.RearmFraction)
                {
                    _storming.Remove(exec.Parent);
                }

                return null;
            }

            if (perSecond < _options.Threshold || _window.RateOf(exec.Parent, _options.Window) is not { } rate)
            {
                return null;
            }

            var alert = new StormAlert
            {
                Parent = rate.Parent,
                Exe = rate.Exe,
                Argv = rate.Argv,
                Chain = rate.Chain,
                PerSecond = rate.PerSecond,
                Window = _options.Window,
                RaisedAt = _time.GetUtcNow(),
                TopChildren = [.. rate.TopChildren.Take(_options.TopChildren)],
            };
            _storming.Add(exec.Parent, alert);
            return alert;
        }
    }

    /// <summary>Alerts of parents still at or above the re-arm level, highest rate first.</summary>
    public IReadOnlyList<StormAlert> ActiveStorms()
    {
        List<StormAlert> alerts;
        lock (_gate)
        {
            alerts = [.. _storming.Values];
        }

        var active = new List<(StormAlert Alert, double Rate)>(alerts.Count);
        foreach (var alert in alerts)
        {
            var rate = _window.RateOf(alert.Parent, _options.Window);
            if (rate is null || rate.PerSecond < _options.Threshold * _options.RearmFraction)
            {
                lock (_gate)
                {
                    _storming.Remove(alert.Parent);
                }

                continue;
            }

            active.Add((alert, rate.PerSecond));
        }

        return [.. active.OrderByDescending(a => a.Rate).Select(a => a.Alert)];
    }
}
