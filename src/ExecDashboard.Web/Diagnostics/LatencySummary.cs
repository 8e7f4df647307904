using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;

namespace ExecDashboard.Web.Diagnostics;

/// <summary>
/// The last <see cref="SamplesPerStage"/> values of each latency stage (listened to on
/// <see cref="LatencyInstruments.MeterName"/>), and their percentiles for
/// <c>/api/diagnostics/latency</c>. Thread-safe: recordings arrive from any thread.
/// </summary>
public sealed class LatencySummary : IDisposable
{
    /// <summary>Enough for a few seconds of a 1,000 exec/s storm; small enough to sort per request.</summary>
    public const int SamplesPerStage = 2048;

    private static readonly string[] Stages = ["kernel_to_hub", "commit", "notify", "render"];
    private const string Prefix = "execdashboard.latency.";

    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, SampleRing> _rings = Stages.ToDictionary(s => s, _ => new SampleRing(SamplesPerStage), StringComparer.Ordinal);

    public LatencySummary()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LatencyInstruments.MeterName && _rings.TryGetValue(instrument.Name[Prefix.Length..], out var ring))
            {
                listener.EnableMeasurementEvents(instrument, ring);
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (_, value, _, state) => ((SampleRing)state!).Add(value));
        _listener.Start();
    }

    /// <summary>Percentiles of each stage over its last samples, in pipeline order.</summary>
    public IReadOnlyList<LatencyStage> Snapshot() => [.. Stages.Select(s => _rings[s].Summarise(s))];

    /// <summary>Forgets every sample, so the next snapshot covers only what follows (a bench's phases).</summary>
    public void Clear()
    {
        foreach (var ring in _rings.Values)
        {
            ring.Clear();
        }
    }

    public void Dispose() => _listener.Dispose();

    private sealed class SampleRing(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly double[] _values = new double[capacity];
        private long _count;

        public void Add(double value)
        {
            lock (_lock)
            {
                _values[_count++ % _values.Length] = value;
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _count = 0;
            }
        }

        public LatencyStage Summarise(string name)
        {
            double[] sorted;
            lock (_lock)
            {
                sorted = _values[..(int)Math.Min(_count, _values.Length)];
            }

            Array.Sort(sorted);
            return new LatencyStage(name, sorted.Length, At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99));
        }

        private static double? At(double[] sorted, double quantile) =>
            sorted.Length == 0 ? null : Math.Round(sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)], 2);
    }
}

/// <summary>One stage's percentiles in milliseconds over its last <see cref="Samples"/> recordings; left out without samples.</summary>
public sealed record LatencyStage(
    string Stage,
    int Samples,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? P50Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? P90Ms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? P99Ms);
