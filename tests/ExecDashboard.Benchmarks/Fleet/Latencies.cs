using System.Globalization;

namespace ExecDashboard.Benchmarks.Fleet;

/// <summary>Latency samples from many threads, in milliseconds; percentiles by nearest rank.</summary>
internal sealed class Latencies
{
    private readonly List<double> _samples = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(TimeSpan latency)
    {
        lock (_lock)
        {
            _samples.Add(latency.TotalMilliseconds);
        }
    }

    /// <summary>The <paramref name="p"/>th percentile (0–100), or NaN without samples.</summary>
    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _samples.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }

    public string Describe() => Count == 0
        ? "n/a"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(50):F1} ms, p99 {Percentile(99):F1} ms ({Count} samples)");
}
