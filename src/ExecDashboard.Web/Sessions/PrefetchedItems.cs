using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Reads an import's items on a thread of its own, a bounded distance ahead of the store, so
/// parsing (the audit pipeline, JSON) and SQLite writing use two cores instead of taking turns.
/// An error while reading is rethrown to the consumer, whose transaction then rolls back.
/// </summary>
internal static class PrefetchedItems
{
    public static IEnumerable<SessionItem> Of(IEnumerable<SessionItem> items, int capacity, CancellationToken cancellationToken)
    {
        using var queue = new BlockingCollection<SessionItem>(capacity);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        // A thread of its own, not a pool thread it would block for the whole import (see SessionImport).
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var item in items)
                {
                    queue.Add(item, stop.Token);
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
            foreach (var item in queue.GetConsumingEnumerable(cancellationToken))
            {
                yield return item;
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
