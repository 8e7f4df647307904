using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Analytics;

/// <summary>The ranges a stored recording is shown over: its own start to end, within what the analytics keep.</summary>
public static class RecordingRange
{
    /// <summary>Per-second counts reach back this far from a recording's last exec (the tracker's horizon).</summary>
    public static readonly TimeSpan Kept = new ProgramTrackerOptions().Horizon;

    /// <summary>The whole recording, or its last <see cref="Kept"/> when it is longer.</summary>
    public static TimeRange Whole(TimeRange recorded) => recorded.Length <= Kept ? recorded : TimeRange.Ending(recorded.To, Kept);
}
