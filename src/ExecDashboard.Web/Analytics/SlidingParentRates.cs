using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// Per-parent exec counts over a sliding hour, kept as one entry per exec (bounded). Simple and
/// exact; the domain's rate windows replace it where they exist.
/// </summary>
public sealed class SlidingParentRates(TimeProvider time) : IExecAnalytics
{
    private static readonly TimeSpan Horizon = TimeSpan.FromHours(1);
    private const int MaxEntries = 2_000_000;

    private readonly Queue<(DateTimeOffset Arrived, ExecEvent Event)> _entries = new();
    private readonly Lock _lock = new();

    public void Observe(IReadOnlyList<ExecEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var e in events)
            {
                _entries.Enqueue((now, e));
            }

            Trim(now);
        }
    }

    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top)
    {
        var now = time.GetUtcNow();
        var since = now - window;
        var byParent = new Dictionary<ProcessKey, List<ExecEvent>>();
        lock (_lock)
        {
            Trim(now);
            foreach (var (arrived, e) in _entries)
            {
                if (arrived < since || e.Parent.IsNone)
                {
                    continue;
                }

                if (!byParent.TryGetValue(e.Parent, out var list))
                {
                    byParent[e.Parent] = list = [];
                }

                list.Add(e);
            }
        }

        return byParent
            .OrderByDescending(p => p.Value.Count)
            .Take(top)
            .Select(p =>
            {
                var sample = p.Value[^1];
                var self = sample.Ancestry.Count > 0 ? sample.Ancestry[0] : null;
                return new ParentRate
                {
                    Parent = p.Key,
                    Pid = sample.Exec.Ppid,
                    Exe = self?.Exe ?? string.Empty,
                    Argv = self?.Argv ?? [],
                    Chain = sample.Ancestry.Skip(1).ToArray(),
                    Execs = p.Value.Count,
                    ExecsPerSecond = p.Value.Count / window.TotalSeconds,
                    TopChildExe = p.Value.GroupBy(e => e.Exec.Exe).OrderByDescending(g => g.Count()).First().Key,
                };
            })
            .ToArray();
    }

    private void Trim(DateTimeOffset now)
    {
        while (_entries.Count > 0 && (_entries.Count > MaxEntries || _entries.Peek().Arrived < now - Horizon))
        {
            _entries.Dequeue();
        }
    }
}
