using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Validation;

/// <summary>The same limits for a process end, whichever way it came in.</summary>
public static partial class ExecValidator
{
    /// <summary>Valid code or signal, checked on the raw fields before they become an <see cref="ExitStatus"/>.</summary>
    public static ExitStatus Status(int? exitCode, int? signal, bool coreDumped)
    {
        if (exitCode is null == signal is null)
        {
            throw new ExecValidationException("exitCode", "and 'signal' are both set or both missing; exactly one says how the process ended.");
        }

        if (exitCode is < 0 or > 255)
        {
            throw new ExecValidationException("exitCode", $"is {exitCode}, outside 0 to 255.");
        }

        if (signal is < 1 or > 127)
        {
            throw new ExecValidationException("signal", $"is {signal}, outside 1 to 127.");
        }

        if (coreDumped && signal is null)
        {
            throw new ExecValidationException("coreDumped", "is set for a process that was not killed by a signal.");
        }

        return signal is { } s ? ExitStatus.Killed(s, coreDumped) : ExitStatus.Exited(exitCode!.Value);
    }

    public static void Validate(ProcessEnd? end)
    {
        if (end is null)
        {
            throw new ExecValidationException("exit", "is null.");
        }

        Key(end.Process, new("process"), allowNone: false);
        if (end.Started < ExecLimits.EarliestTime || end.Time > ExecLimits.LatestTime || end.Time < ExecLimits.EarliestTime)
        {
            throw new ExecValidationException("time", "and 'started' must lie between 1970 and 9999.");
        }

        // A derived start is an upper bound (the exec's time), so it may lie a little after the
        // end of a process that ended at once; a duration is then shown as 0, never negative.
    }
}
