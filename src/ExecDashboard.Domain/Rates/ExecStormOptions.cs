namespace ExecDashboard.Domain.Rates;

/// <summary>When a parent counts as exec-storming.</summary>
public sealed record ExecStormOptions
{
    /// <summary>Execs per second, averaged over <see cref="Window"/>, at which an alert is raised.</summary>
    public double Threshold { get; init; } = 50;

    /// <summary>
    /// The short window the rate is averaged over. Keep it among <see cref="ExecRateOptions.Windows"/>
    /// so each check costs O(1); other windows work but sum the ring on every exec.
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A storming parent is re-armed (can alert again) only once its rate falls below
    /// <see cref="Threshold"/> × this fraction, so a rate hovering at the threshold alerts once.
    /// </summary>
    public double RearmFraction { get; init; } = 0.5;

    /// <summary>Child programs named in an alert.</summary>
    public int TopChildren { get; init; } = 5;

    internal void Validate()
    {
        if (!(Threshold > 0) || double.IsInfinity(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The storm threshold must be a positive rate.");
        }

        if (!(RearmFraction is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RearmFraction), RearmFraction, "The re-arm fraction must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopChildren);
    }
}
