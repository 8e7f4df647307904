using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// Raises one alert per program, not per process, when its runs together exec faster than the
/// threshold over the storm window; the program must calm down below the re-arm level before it
/// can alert again, so a storm of hundreds of runs is one alert.
/// </summary>
/// <remarks>
/// Call <see cref="Check"/> on the ingest thread right after <see cref="ProgramTracker.Record"/>;
/// the state is the set of programs storming now, behind a lock.
/// </remarks>
public sealed class ProgramStormDetector
{
    private readonly Lock _gate = new();
    private readonly ProgramTracker _programs;
    private readonly ExecStormOptions _options;
    private readonly HashSet<ProgramSignature> _storming = [];

    public ProgramStormDetector(ProgramTracker programs, ExecStormOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(programs);
        _programs = programs;
        _options = options ?? new ExecStormOptions();
        _options.Validate();
    }

    /// <summary>Re-evaluates the program <paramref name="parent"/> runs; returns it when its storm starts.</summary>
    public ProgramRate? Check(ProcessKey parent)
    {
        // The cheap count on every exec; the full program view only when an alert fires.
        var (program, execs) = _programs.CountOf(parent, _options.Window);
        if (program is not { } signature)
        {
            return null;
        }

        var perSecond = execs / _options.Window.TotalSeconds;
        lock (_gate)
        {
            if (_storming.Contains(signature))
            {
                if (perSecond < _options.Threshold * _options.RearmFraction)
                {
                    _storming.Remove(signature);
                }

                return null;
            }

            if (perSecond < _options.Threshold)
            {
                return null;
            }

            _storming.Add(signature);
        }

        return _programs.RateOf(signature, TimeRange.Ending(_programs.Now, _options.Window));
    }
}
