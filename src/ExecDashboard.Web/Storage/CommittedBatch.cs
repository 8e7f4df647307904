using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>A collector batch committed to the store, not yet shown in the live views (<see cref="ExecStore.ShowCommitted"/>).</summary>
/// <param name="Offered">Events the batch carried; those not in <paramref name="Stored"/> were already stored.</param>
internal sealed record CommittedBatch(long SessionId, int Offered, IReadOnlyList<StoredExec> Stored, IReadOnlyList<ProcessEnd> Ends);
