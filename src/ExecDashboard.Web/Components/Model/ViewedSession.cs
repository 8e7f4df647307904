namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Which recording the pages of one browser tab show: the live stream (null) or a stored
/// session such as an import. One per circuit; pages re-read their data when it changes.
/// </summary>
public sealed class ViewedSession
{
    /// <summary>The session shown, or null for the live stream.</summary>
    public long? SessionId { get; private set; }

    public bool IsLive => SessionId is null;

    /// <summary>Raised on the renderer's thread by <see cref="Show"/>.</summary>
    public event Action? Changed;

    public void Show(long? sessionId)
    {
        if (SessionId == sessionId)
        {
            return;
        }

        SessionId = sessionId;
        Changed?.Invoke();
    }
}
