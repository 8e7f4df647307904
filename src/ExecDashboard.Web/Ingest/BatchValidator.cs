using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Ingest;

/// <summary>
/// Checks a batch's envelope (collector id, host, sequence, status) and each event with the one
/// <see cref="ExecValidator"/>, before anything is stored: a batch is taken whole or not at all,
/// and a refusal names the event index and the field.
/// </summary>
public sealed class BatchValidator(IOptions<DashboardOptions> options)
{
    private const int MaxCollectorIdChars = 200;

    // The boot string the last batch's keys named. Batches are validated on several threads: a
    // reference is read and written whole, and a stale one only costs a string.
    private string? _boot;

    /// <summary>True for an id the collectors state may show and key on, even when the rest of its batch is refused.</summary>
    public static bool IsUsableCollectorId(string? collectorId) =>
        !string.IsNullOrWhiteSpace(collectorId) && collectorId.Length <= MaxCollectorIdChars && !collectorId.Any(char.IsControl);

    /// <summary>True for a host name the collectors state may show.</summary>
    public static bool IsUsableHost(string? host) =>
        host is not null && host.Length <= ExecLimits.MaxHostChars && !host.Any(char.IsControl);

    /// <summary>Returns the domain events, or throws <see cref="BatchRejectedException"/> with the reason.</summary>
    public IReadOnlyList<ExecEvent> Validate(CollectorBatch? batch) => ValidateWithExits(batch).Events;

    /// <summary>Returns the domain events and process ends, or throws <see cref="BatchRejectedException"/> with the reason.</summary>
    public (IReadOnlyList<ExecEvent> Events, IReadOnlyList<ProcessEnd> Exits) ValidateWithExits(CollectorBatch? batch)
    {
        var events = ValidateEvents(batch);
        return (events, ExitMessages.Validate(batch!, options.Value.MaxEventsPerBatch));
    }

    private IReadOnlyList<ExecEvent> ValidateEvents(CollectorBatch? batch)
    {
        if (batch is null)
        {
            throw new BatchRejectedException("The batch is empty (null).");
        }

        if (!IsUsableCollectorId(batch.CollectorId))
        {
            throw new BatchRejectedException($"The batch has no collector id (or one longer than {MaxCollectorIdChars} characters, or with control characters).");
        }

        if (!IsUsableHost(batch.Host))
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} has no host name (or one longer than {ExecLimits.MaxHostChars} characters, or with control characters).");
        }

        if (batch.BatchSeq < 1)
        {
            throw new BatchRejectedException($"Batch sequence {batch.BatchSeq} is not positive.");
        }

        if (batch.Events is null || batch.Status is null)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} lacks its events or its status.");
        }

        var status = batch.Status;
        if (status.KernelLost < 0 || status.SerialGaps < 0 || status.Malformed < 0 || status.QueueDrops < 0 || status.SpoolDrops < 0
            || !double.IsFinite(status.EventsPerSec) || status.EventsPerSec < 0)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} has a negative or non-finite status counter.");
        }

        var max = options.Value.MaxEventsPerBatch;
        if (batch.Events.Count > max)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} holds {batch.Events.Count} events, more than the limit of {max}; send smaller batches.");
        }

        // Siblings share their ancestor objects and texts, so each is validated once per batch
        // (an ancestor) or once per run of siblings (a text), not once per exec.
        var validated = new ValidatedExecs();
        if (batch.Events is DecodedExecs decoded)
        {
            // Format 2, read straight into domain events: validated in order, then the refusal
            // of the first exec that could not be converted, as format 1 meets them.
            for (var i = 0; i < decoded.Events.Count; i++)
            {
                Validate(batch, i, decoded.Events[i], validated);
            }

            if (decoded.Refusal is { } refusal)
            {
                throw Rejected(batch, decoded.Events.Count, refusal);
            }

            return decoded.Events;
        }

        var events = new ExecEvent[batch.Events.Count];

        // The hub's reader hands siblings one message per shared ancestor: converted once here,
        // and the keys share the boot string the previous batch's keys did.
        var conversion = new ExecEventConversion(_boot);
        for (var i = 0; i < events.Length; i++)
        {
            ExecEvent e;
            try
            {
                e = (batch.Events[i] ?? throw new FormatException("the event is null.")).ToDomain(conversion);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw Rejected(batch, i, ex);
            }

            events[i] = Validate(batch, i, e, validated);
        }

        _boot = conversion.Boot;
        return events;
    }

    private static ExecEvent Validate(CollectorBatch batch, int index, ExecEvent e, ValidatedExecs validated)
    {
        try
        {
            ExecValidator.Validate(e, validated);
            return e;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or ExecValidationException)
        {
            throw Rejected(batch, index, ex);
        }
    }

    private static BatchRejectedException Rejected(CollectorBatch batch, int index, Exception ex) =>
        new($"Batch {batch.BatchSeq}, event {index}: {ex.Message}", ex);
}

/// <summary>A batch that breaks the contract; its message is sent to the collector as is.</summary>
public sealed class BatchRejectedException : Exception
{
    public BatchRejectedException()
    {
    }

    public BatchRejectedException(string message)
        : base(message)
    {
    }

    public BatchRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
