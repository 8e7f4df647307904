namespace ExecDashboard.Shipping;

/// <summary>
/// Which dashboard replica the shipper talks to. It sticks to one while the link holds (replicas
/// share one store, so there is nothing to gain by moving) and moves to the next, in the order the
/// user gave, when the link fails or cannot be opened; after the last it starts again at the first.
/// Owned by the send loop alone.
/// </summary>
internal sealed class ServerRotation
{
    private readonly IReadOnlyList<Uri> _servers;
    private int _index;

    public ServerRotation(IReadOnlyList<Uri> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        _servers = servers;
    }

    public Uri Current => _servers[_index];

    /// <summary>True when there is another replica to move to.</summary>
    public bool CanSwitch => _servers.Count > 1;

    /// <summary>Moves to the next replica and returns it.</summary>
    public Uri Next()
    {
        _index = (_index + 1) % _servers.Count;
        return Current;
    }
}
