using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Assembly;

/// <summary>
/// Groups records into events by (node, serial, timestamp) and decides when an event is complete:
/// EOE; PROCTITLE once SYSCALL is in (log formats without EOE); a user-space record alone; stream
/// time passing the event by <see cref="EventAssemblerOptions.StreamTimeout"/>; the wall clock
/// (<see cref="Tick()"/>) passing its arrival by <see cref="EventAssemblerOptions.WallClockTimeout"/>;
/// the in-flight cap; or <see cref="Flush"/>. Not thread-safe: one pipeline thread owns it.
/// </summary>
public sealed class EventAssembler
{
    // Bounds of what a recycling assembler keeps for reuse: enough for a storm's steady state
    // (a handful of events open at once, about seven records each), not a burst's peak.
    private const int MaxSpareEvents = 256;
    private const int MaxSpareRecords = 2048;

    // Open events up to which a record's event is looked for along the open list, not in a map.
    // A replay or a steady storm keeps one or two open; probing, adding and removing each event's
    // key in a dictionary was then most of the assembler's own work per exec. With RecentEvents,
    // measured on the 300,000-exec sendmail story through AuditExecPipeline alone (thread CPU,
    // builds run alternately): 1,680 → 1,400 ns per exec at best, medians 2,050 → 1,650.
    private const int UnindexedEvents = 8;

    private readonly EventAssemblerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Action<AuditEvent> _onCompleted;
    private readonly Dictionary<EventKey, AuditEvent> _index = [];
    private readonly Stack<AuditEvent> _spareEvents = new();
    private readonly Stack<AuditRecord>? _spareRecords;
    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly RecentEvents _recent;
    private readonly long _streamTimeoutMs;
    private long _recheckAtRecord = long.MaxValue;
    private string? _lastNodeName;
    private NodeState? _lastNode;
    private int _inFlight;

    // Whether every open event is in _index: from the moment more than UnindexedEvents are open
    // until none is.
    private bool _indexed;

    // The open events in arrival order, oldest first: a list linked through the events themselves.
    private AuditEvent? _oldest;
    private AuditEvent? _newest;

    public EventAssembler(EventAssemblerOptions options, TimeProvider timeProvider, Action<AuditEvent> onCompleted)
        : this(options, timeProvider, onCompleted, spareRecords: null)
    {
    }

    /// <summary>
    /// With <paramref name="spareRecords"/>, a recycling assembler: once the completion callback
    /// returns, the event and its records are reused (the records go to <paramref name="spareRecords"/>,
    /// where the parser refills them), so the callback must not keep either. The exec pipeline maps
    /// each event at once; reuse spares it several allocations per record in an exec storm.
    /// </summary>
    internal EventAssembler(EventAssemblerOptions options, TimeProvider timeProvider, Action<AuditEvent> onCompleted, Stack<AuditRecord>? spareRecords)
    {
        _spareRecords = spareRecords;
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider;
        _onCompleted = onCompleted;
        _streamTimeoutMs = (long)options.StreamTimeout.TotalMilliseconds;
        _recent = new RecentEvents(options.RecentlyCompletedMemory);
    }

    public long Records { get; private set; }

    public long EventsCompleted { get; private set; }

    /// <summary>Records that arrived after their event was already complete; dropped (a late EOE is not counted).</summary>
    public long LateRecords { get; private set; }

    public int InFlight => _inFlight;

    /// <summary>Serials missing per node, summed (see <see cref="SerialGapTracker"/>).</summary>
    public long SerialGaps => Sum(static t => t.Gaps);

    public long SerialRestarts => Sum(static t => t.Restarts);

    public void Add(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Records++;
        var node = NodeFor(record.Node);
        node.Serials.Observe(record.Serial, record.Time);

        var key = new EventKey(record.Node, record.Serial, record.Time.TotalMilliseconds);

        var ev = FindOpen(key);
        if (ev is null)
        {
            if (record.Type == AuditRecordTypes.EndOfEvent)
            {
                // An EOE for an event already completed (by PROCTITLE or a timeout), or for one we never saw.
                Recycle(record);
                return;
            }

            if (_recent.Contains(key.Node, key.Serial, key.TimeMs))
            {
                LateRecords++;
                Recycle(record);
                return;
            }

            ev = OpenEvent(record, key);
        }

        ev.LastRecordNumber = Records;
        if (record.Type == AuditRecordTypes.EndOfEvent)
        {
            Recycle(record);
            Complete(key, ev, EventCompletion.EndOfEvent);
        }
        else
        {
            ev.Records.Add(record);
            if (record.Type == AuditRecordTypes.Syscall)
            {
                ev.HasSyscall = true;
            }

            if (AuditRecordTypes.IsStandalone(record.Type))
            {
                Complete(key, ev, EventCompletion.Standalone);
            }
            else if (record.Type == AuditRecordTypes.Proctitle && ev.HasSyscall)
            {
                // kernel/auditsc.c audit_log_exit() writes PROCTITLE after every other record of a
                // syscall event; only EOE follows. A PROCTITLE before the SYSCALL means a reordered log.
                Complete(key, ev, EventCompletion.Proctitle);
            }
        }

        var now = record.Time.TotalMilliseconds;
        if (now > node.StreamTimeMs || Records >= _recheckAtRecord)
        {
            node.StreamTimeMs = Math.Max(now, node.StreamTimeMs);
            ExpireByStreamTime();
        }

        while (_inFlight > _options.MaxInFlightEvents && _oldest is { } oldest)
        {
            CompleteEvent(oldest, EventCompletion.InFlightCap);
        }
    }

    /// <summary>Completes events that have waited longer than the wall-clock timeout.</summary>
    public void Tick() => Tick(_timeProvider.GetUtcNow());

    /// <inheritdoc cref="Tick()"/>
    public void Tick(DateTimeOffset now)
    {
        // Arrival order is wall-clock order, so the first event still young ends the scan.
        while (_oldest is { } oldest && now - oldest.Arrived >= _options.WallClockTimeout)
        {
            CompleteEvent(oldest, EventCompletion.WallClockTimeout);
        }
    }

    /// <summary>End of input: completes every open event and settles serial gaps still pending.</summary>
    public void Flush()
    {
        while (_oldest is { } oldest)
        {
            CompleteEvent(oldest, EventCompletion.Flush);
        }

        foreach (var node in _nodes.Values)
        {
            node.Serials.Flush();
        }
    }

    /// <summary>
    /// Completes events whose node's stream time has passed them by the timeout and that have seen
    /// the grace number of records since their last one. Events due but still in grace are
    /// rechecked when enough records have come, even if stream time stands still.
    /// </summary>
    private void ExpireByStreamTime()
    {
        _recheckAtRecord = long.MaxValue;
        var grace = _options.StreamTimeoutGraceRecords;
        var next = _oldest;
        while (next is not null)
        {
            var following = next.Newer;
            var streamTimeMs = NodeFor(next.Node).StreamTimeMs;
            if (next.Time.TotalMilliseconds + _streamTimeoutMs < streamTimeMs)
            {
                if (Records - next.LastRecordNumber >= grace)
                {
                    CompleteEvent(next, EventCompletion.StreamTimeout);
                }
                else
                {
                    _recheckAtRecord = Math.Min(_recheckAtRecord, next.LastRecordNumber + grace);
                }
            }

            next = following;
        }
    }

    private void CompleteEvent(AuditEvent ev, EventCompletion reason) => Complete(KeyOf(ev), ev, reason);

    private static EventKey KeyOf(AuditEvent ev) => new(ev.Node, ev.Serial, ev.Time.TotalMilliseconds);

    private void Complete(EventKey key, AuditEvent ev, EventCompletion reason)
    {
        Unlink(ev);
        if (_indexed)
        {
            _index.Remove(key);
            _indexed = _inFlight > 0;
        }

        _recent.Add(key.Node, key.Serial, key.TimeMs);
        ev.CompletedBy = reason;
        EventsCompleted++;
        if (ev.Records.Count > 0)
        {
            _onCompleted(ev);
        }

        if (_spareRecords is not null)
        {
            foreach (var record in ev.Records)
            {
                Recycle(record);
            }

            ev.Records.Clear();
            if (_spareEvents.Count < MaxSpareEvents)
            {
                _spareEvents.Push(ev);
            }
        }
    }

    /// <summary>The open event <paramref name="key"/> names, or null.</summary>
    private AuditEvent? FindOpen(EventKey key)
    {
        // The records of one event arrive together, so a record nearly always belongs to the event
        // opened last; then to one of the few others open, looked for newest first.
        if (!_indexed)
        {
            for (var ev = _newest; ev is not null; ev = ev.Older)
            {
                if (key.Is(ev))
                {
                    return ev;
                }
            }

            return null;
        }

        if (_newest is { } newest && key.Is(newest))
        {
            return newest;
        }

        return _index.TryGetValue(key, out var indexed) ? indexed : null;
    }

    private AuditEvent OpenEvent(AuditRecord first, EventKey key)
    {
        var arrived = _timeProvider.GetUtcNow();
        AuditEvent ev;
        if (_spareEvents.TryPop(out var spare))
        {
            spare.Reset(first.Node, first.Serial, first.Time, arrived);
            ev = spare;
        }
        else
        {
            ev = new AuditEvent(first.Node, first.Serial, first.Time, arrived);
        }

        ev.Older = _newest;
        ev.Newer = null;
        if (_newest is null)
        {
            _oldest = ev;
        }
        else
        {
            _newest.Newer = ev;
        }

        _newest = ev;
        ev.Open = true;
        _inFlight++;
        if (_indexed)
        {
            _index.Add(key, ev);
        }
        else if (_inFlight > UnindexedEvents)
        {
            for (var open = _oldest; open is not null; open = open.Newer)
            {
                _index.Add(KeyOf(open), open);
            }

            _indexed = true;
        }

        return ev;
    }

    private void Unlink(AuditEvent ev)
    {
        if (!ev.Open)
        {
            return;
        }

        if (ev.Older is null)
        {
            _oldest = ev.Newer;
        }
        else
        {
            ev.Older.Newer = ev.Newer;
        }

        if (ev.Newer is null)
        {
            _newest = ev.Older;
        }
        else
        {
            ev.Newer.Older = ev.Older;
        }

        ev.Older = null;
        ev.Newer = null;
        ev.Open = false;
        _inFlight--;
    }

    /// <summary>Gives a record the assembler does not keep back to the parser (a recycling assembler only).</summary>
    private void Recycle(AuditRecord record)
    {
        if (_spareRecords is not null && _spareRecords.Count < MaxSpareRecords)
        {
            _spareRecords.Push(record);
        }
    }

    private NodeState NodeFor(string? node)
    {
        // A log names one node on record after record, and the parser hands out one string per
        // node, so the last answer is nearly always the answer: no string hashed per record.
        if (_lastNode is { } last && ReferenceEquals(node, _lastNodeName))
        {
            return last;
        }

        var name = node ?? string.Empty;
        if (!_nodes.TryGetValue(name, out var state))
        {
            state = new NodeState(new SerialGapTracker(_options.SerialWindow));
            _nodes.Add(name, state);
        }

        _lastNodeName = node;
        _lastNode = state;
        return state;
    }

    private long Sum(Func<SerialGapTracker, long> counter)
    {
        long total = 0;
        foreach (var node in _nodes.Values)
        {
            total += counter(node.Serials);
        }

        return total;
    }

    private readonly record struct EventKey(string? Node, uint Serial, long TimeMs)
    {
        /// <summary>
        /// Serial and time only: the node is nearly always the same, and hashing its text was most
        /// of a lookup's cost (the map is probed several times per event when many are open).
        /// Equality still compares it.
        /// </summary>
        public override int GetHashCode() => HashCode.Combine(Serial, TimeMs);

        public bool Is(AuditEvent ev) =>
            Serial == ev.Serial && TimeMs == ev.Time.TotalMilliseconds && string.Equals(Node, ev.Node, StringComparison.Ordinal);
    }

    private sealed class NodeState(SerialGapTracker serials)
    {
        public SerialGapTracker Serials { get; } = serials;

        public long StreamTimeMs { get; set; } = long.MinValue;
    }
}
