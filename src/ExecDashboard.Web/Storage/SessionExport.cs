using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// A session's export as its store engine reads it (<see cref="IStoreEngine.ExportSession"/>): the
/// <c>events</c> array, the <c>processes</c> array and the ends of those processes, read lazily and
/// asked for in that order, as the session writer writes them. Disposing it stops what is still reading.
/// </summary>
/// <param name="ends">The ends; asked for once <paramref name="processes"/> is written to its end.</param>
public sealed class SessionExport(ISessionJsonArray events, ISessionJsonArray processes, Func<Task<IReadOnlyCollection<ProcessEnd>>> ends) : IAsyncDisposable
{
    public ISessionJsonArray Events => events;

    public ISessionJsonArray Processes => processes;

    /// <summary>The ends of the processes <see cref="Processes"/> holds, in no order; ask once it is written.</summary>
    public Task<IReadOnlyCollection<ProcessEnd>> EndsAsync() => ends();

    public async ValueTask DisposeAsync()
    {
        await events.DisposeAsync();
        await processes.DisposeAsync();
    }
}
