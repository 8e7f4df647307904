using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Reads an import's items on a thread of its own, a bounded distance ahead of the store, so
/// parsing (the audit pipeline, JSON) and SQLite writing use two cores instead of taking turns.
/// An error while reading is rethrown to the consumer, whose transaction then rolls back.
/// </summary>
/// <remarks>
/// Items cross between the threads in batches of <see cref="BatchItems"/>: a hand-off per item
/// (a lock and a semaphore on each side) cost the two threads more than the hand-off of a batch
/// costs for the whole batch.
/// </remarks>
internal static class PrefetchedItems
{
    private const int BatchItems = 256;

    public static IEnumerable<SessionItem> Of(IEnumerable<SessionItem> items, int capacity, CancellationToken cancellationToken)
    {
        using var queue = new BlockingCollection<SessionItem[]>(Math.Max(1, capacity / BatchItems));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        // A thread of its own, not a pool thread it would block for the whole import (see SessionImport).
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                var batch = new SessionItem[BatchItems];
                var count = 0;
                foreach (var item in items)
                {
                    batch[count++] = item;
                    if (count == BatchItems)
                    {
                        queue.Add(batch, stop.Token);
                        batch = new SessionItem[BatchItems];
                        count = 0;
                    }
                }

                if (count > 0)
                {
                    queue.Add(batch[..count], stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped early (or the request was cancelled).
            }
#pragma warning disable CA1031 // Handed to the consumer, which rethrows it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
            {
                foreach (var item in batch)
                {
                    yield return item;
                }
            }

            reader.Wait(CancellationToken.None);
            failure?.Throw();
        }
        finally
        {
            // A consumer that stops early (or fails) stops the reader too.
            stop.Cancel();
            reader.Wait(CancellationToken.None);
        }
    }
}
