using System.Numerics;
using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Assembly;

/// <summary>
/// Counts serial numbers one node's kernel handed out that never reached us. Serials are 32-bit and
/// wrap to 0 (kernel/audit.c audit_serial()), so distances are taken modulo 2^32. Serials up to
/// <c>window</c> behind the highest seen are out-of-order arrivals, not losses: a missing serial is
/// only counted once the window has moved past it (or at end of input).
/// </summary>
internal sealed class SerialGapTracker
{
    private readonly bool[] _seen;
    private readonly uint _mask;
    private bool _started;
    private uint _high;
    private AuditTimestamp _highTime;

    public SerialGapTracker(int window)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(window, 1));
        _seen = new bool[size];
        _mask = (uint)size - 1;
    }

    /// <summary>Serials confirmed missing.</summary>
    public long Gaps { get; private set; }

    /// <summary>
    /// Times the numbering started again far below the highest serial with a later timestamp
    /// (a reboot, or another kernel's log appended): a new epoch, not millions of losses.
    /// </summary>
    public long Restarts { get; private set; }

    /// <summary>Records far older than the window: too late to place, ignored for gap accounting.</summary>
    public long Stale { get; private set; }

    private int Window => _seen.Length;

    public void Observe(uint serial, AuditTimestamp time)
    {
        if (!_started)
        {
            Start(serial, time);
            return;
        }

        var delta = unchecked((int)(serial - _high));
        if (delta > 0)
        {
            Advance(serial, (uint)delta);
            _highTime = time > _highTime ? time : _highTime;
        }
        else if (delta > -Window)
        {
            _seen[serial & _mask] = true;
        }
        else if (time > _highTime)
        {
            Restarts++;
            Start(serial, time);
        }
        else
        {
            Stale++;
        }
    }

    /// <summary>End of input: whatever is still missing in the window will not come.</summary>
    public void Flush()
    {
        foreach (var seen in _seen)
        {
            Gaps += seen ? 0 : 1;
        }

        Array.Fill(_seen, true);
    }

    private void Start(uint serial, AuditTimestamp time)
    {
        _started = true;
        _high = serial;
        _highTime = time;

        // Serials before the first one we see are history, not losses.
        Array.Fill(_seen, true);
    }

    private void Advance(uint serial, uint delta)
    {
        if (delta >= (uint)Window)
        {
            Flush();
            var skipped = delta - (uint)Window;
            Gaps += skipped - (ContainsZero(_high, skipped) ? 1 : 0);
            Array.Fill(_seen, false);
            var lowest = serial - (uint)Window + 1;
            MarkZeroSeen(lowest - 1, (uint)Window);
        }
        else
        {
            for (var k = 1u; k <= delta; k++)
            {
                var slot = (_high + k) & _mask;
                Gaps += _seen[slot] ? 0 : 1;
                _seen[slot] = false;
            }

            MarkZeroSeen(_high, delta);
        }

        _seen[serial & _mask] = true;
        _high = serial;
    }

    /// <summary>True when the serials after <paramref name="from"/> (count of them) include 0.</summary>
    private static bool ContainsZero(uint from, uint count) => count > 0 && unchecked(0u - from - 1u) < count;

    /// <summary>
    /// Some kernels skip serial 0 when the counter wraps, others hand it out (the wrap fixture
    /// shows 4294967295 then 0). Either way a missing 0 is not a loss.
    /// </summary>
    private void MarkZeroSeen(uint from, uint count)
    {
        if (ContainsZero(from, count))
        {
            _seen[0] = true;
        }
    }
}
