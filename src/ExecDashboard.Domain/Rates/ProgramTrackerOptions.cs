namespace ExecDashboard.Domain.Rates;

/// <summary>Limits of a <see cref="ProgramTracker"/>; memory is bounded by programs × (ring + runs).</summary>
public sealed record ProgramTrackerOptions
{
    /// <summary>The window a program's storm is judged over: short, so an alert comes within seconds.</summary>
    public static readonly TimeSpan StormWindow = TimeSpan.FromSeconds(10);

    /// <summary>Programs tracked at once; the least recently active is evicted beyond this.</summary>
    public int MaxPrograms { get; init; } = 256;

    /// <summary>
    /// Runs kept per program (about 100 bytes each); older ones are only counted. 1024 runs keep
    /// the growth test well inside its O(runs²) budget (half a million comparisons per change).
    /// </summary>
    public int MaxRunsPerProgram { get; init; } = 1024;

    /// <summary>Seconds of per-second counts per program (one int each: 14 KiB for an hour).</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Distinct child programs counted per program; the rest are counted as "other".</summary>
    public int MaxChildExesPerProgram { get; init; } = 32;

    /// <summary>Distinct chains counted per program; the rest are counted as "other".</summary>
    public int MaxChainsPerProgram { get; init; } = 16;

    /// <summary>Programs above a run named in its chain.</summary>
    public int ChainDepth { get; init; } = 2;

    /// <summary>Chains and children listed per program.</summary>
    public int TopListed { get; init; } = 5;

    internal int HorizonSeconds => (int)Horizon.TotalSeconds;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPrograms);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRunsPerProgram, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxChildExesPerProgram);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxChainsPerProgram);
        ArgumentOutOfRangeException.ThrowIfNegative(ChainDepth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopListed);
        if (Horizon < StormWindow || Horizon > TimeSpan.FromDays(1) || Horizon.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Horizon), Horizon, "The horizon must be whole seconds between the storm window and 1 day.");
        }
    }
}
