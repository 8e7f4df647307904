namespace ExecDashboard.Web.Authentication;

/// <summary>A token that opens the collector hub, and the name it is known by on the collectors page.</summary>
public sealed record CollectorCredential(string Name, AccessToken Token)
{
    /// <summary>The name of the single collector token, used when no tokens file is configured.</summary>
    public const string SharedName = "collector-token";

    /// <summary>What a connection keeps of its token, to check at each batch that it still holds.</summary>
    public string Fingerprint { get; } = TokenFingerprint.Of(Token);
}
