namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Which recording the pages of one browser tab show: the live stream (null) or a stored
/// session such as an import; and of which host (null: every host of the fleet). One per circuit;
/// pages re-read their data when either changes.
/// </summary>
public sealed class ViewedSession
{
    /// <summary>The session shown, or null for the live stream.</summary>
    public long? SessionId { get; private set; }

    public bool IsLive => SessionId is null;

    /// <summary>The host the views are narrowed to, or null for every host.</summary>
    public string? Host { get; private set; }

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

    /// <summary>Narrows every view to one host, or (null) widens them to all.</summary>
    public void ShowHost(string? host)
    {
        host = string.IsNullOrEmpty(host) ? null : host;
        if (string.Equals(Host, host, StringComparison.Ordinal))
        {
            return;
        }

        Host = host;
        Changed?.Invoke();
    }
}
