using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;

namespace ExecDashboard.Web.Ingest;

/// <summary>
/// Turns a batch's process ends into domain values with the one <see cref="ExecValidator"/>; a bad
/// one refuses the whole batch, named by its index and field, like a bad exec.
/// </summary>
internal static class ExitMessages
{
    public static IReadOnlyList<ProcessEnd> Validate(CollectorBatch batch, int maxItems)
    {
        if (batch.Exits is null)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} has a null list of exits (leave it out when there are none).");
        }

        if (batch.Exits.Count > maxItems)
        {
            throw new BatchRejectedException($"Batch {batch.BatchSeq} holds {batch.Exits.Count} exits, more than the limit of {maxItems}; send smaller batches.");
        }

        var ends = new ProcessEnd[batch.Exits.Count];
        for (var i = 0; i < ends.Length; i++)
        {
            var m = batch.Exits[i];
            try
            {
                if (m is null)
                {
                    throw new FormatException("the exit is null.");
                }

                var end = m.ToProcessEnd();
                ExecValidator.Validate(end);
                ends[i] = end;
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or ExecValidationException)
            {
                throw new BatchRejectedException($"Batch {batch.BatchSeq}, exit {i}: {ex.Message}", ex);
            }
        }

        return ends;
    }
}
