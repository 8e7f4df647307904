namespace ExecDashboard.Web.Storage;

/// <summary>
/// The store cannot be opened or used (server unreachable, login refused, missing rights, a
/// database too new); its message is one sentence for the user, the cause is for the logs.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
