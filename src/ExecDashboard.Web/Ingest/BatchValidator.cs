using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Ingest;

/// <summary>
/// Checks a batch against the contract and converts its events, before anything is stored:
/// a batch is taken whole or not at all.
/// </summary>
public sealed class BatchValidator(IOptions<DashboardOptions> options)
{
    private const int MaxTextLength = 4096;

    /// <summary>Returns the domain events, or throws <see cref="BatchRejectedException"/> with the reason.</summary>
    public IReadOnlyList<ExecEvent> Validate(CollectorBatch? batch)
    {
        if (batch is null)
        {
            throw new BatchRejectedException("The batch is empty (null).");
        }

        if (string.IsNullOrWhiteSpace(batch.CollectorId) || batch.CollectorId.Length > 200)
        {
            throw new BatchRejectedException("The batch has no collector id (or one longer than 200 characters).");
        }

        if (batch.Host is null || batch.Host.Length > 255)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} has no host name (or one longer than 255 characters).");
        }

        if (batch.BatchSeq < 1)
        {
            throw new BatchRejectedException($"Batch sequence {batch.BatchSeq} is not positive.");
        }

        if (batch.Events is null || batch.Status is null)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} lacks its events or its status.");
        }

        var max = options.Value.MaxEventsPerBatch;
        if (batch.Events.Count > max)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} holds {batch.Events.Count} events, more than the limit of {max}; send smaller batches.");
        }

        var events = new ExecEvent[batch.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var m = batch.Events[i];
            try
            {
                if (m is null || m.Argv is null || m.Ancestry is null || m.Exe is null || m.Host is null || m.Comm is null || m.Cwd is null || m.Syscall is null || m.Arch is null || m.Process is null)
                {
                    throw new FormatException("a required field is missing.");
                }

                if (m.Exe.Length > MaxTextLength || m.Cwd.Length > MaxTextLength || m.Host.Length > 255)
                {
                    throw new FormatException("exe, cwd or host is too long.");
                }

                events[i] = m.ToDomain();
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw new BatchRejectedException($"Batch {batch.BatchSeq}, event {i}: {ex.Message}", ex);
            }
        }

        return events;
    }
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
