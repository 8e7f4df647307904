using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ExecDashboard.Shipping;

/// <summary>
/// Verifies the dashboard's HTTPS certificate against the CA certificates of one PEM file
/// (<c>--ca-file</c>), for a dashboard whose certificate the system store does not know (a
/// self-signed or private CA). The host name must still match; nothing else is trusted.
/// </summary>
public sealed class ServerCertificateTrust
{
    private readonly X509Certificate2Collection _roots;

    private ServerCertificateTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Loads the CA file; throws <see cref="ArgumentException"/> with one sentence when it holds no certificate.</summary>
    public static ServerCertificateTrust Load(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException($"Cannot read the CA certificates in {caFile} ({e.Message}).", nameof(caFile), e);
        }

        return roots.Count == 0
            ? throw new ArgumentException($"{caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----).", nameof(caFile))
            : new ServerCertificateTrust(roots);
    }

    /// <summary>True when the certificate names the host and chains to one of the file's CAs.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
