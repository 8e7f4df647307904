namespace ExecDashboard.Domain.Rates;

/// <summary>Limits and windows of an <see cref="ExecRateWindow"/>.</summary>
public sealed record ExecRateOptions
{
    /// <summary>
    /// Parents tracked at once; the least recently active is evicted beyond this. Each costs one
    /// <c>int</c> per second of <see cref="Horizon"/> (14 KiB for an hour), so 512 is about 7 MiB.
    /// </summary>
    public int MaxTrackedParents { get; init; } = 512;

    /// <summary>The longest window kept: the length of each parent's per-second ring.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Windows whose totals are kept current on every exec, so top-N and storm checks over them cost
    /// O(1) per parent. Other windows up to <see cref="Horizon"/> work too, by summing the ring.
    /// </summary>
    public IReadOnlyList<TimeSpan> Windows { get; init; } =
    [
        TimeSpan.FromSeconds(10),
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromHours(1),
    ];

    /// <summary>Distinct child programs counted per parent; the rest are counted as "other".</summary>
    public int MaxChildExesPerParent { get; init; } = 32;

    internal int HorizonSeconds => (int)Horizon.TotalSeconds;

    internal void Validate()
    {
        if (MaxTrackedParents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrackedParents), MaxTrackedParents, "At least one parent must be tracked.");
        }

        if (Horizon < TimeSpan.FromSeconds(1) || Horizon > TimeSpan.FromDays(1) || Horizon.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "The horizon must be whole seconds between 1 second and 1 day.");
        }

        foreach (var window in Windows)
        {
            ValidateWindow(window);
        }

        if (MaxChildExesPerParent < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChildExesPerParent), MaxChildExesPerParent, "At least one child program must be counted.");
        }
    }

    internal void ValidateWindow(TimeSpan window)
    {
        if (window < TimeSpan.FromSeconds(1) || window > Horizon || window.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"A window must be whole seconds between 1 second and the horizon ({Horizon}).");
        }
    }
}
