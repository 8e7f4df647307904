using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExecDashboard.Shipping;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// A dashboard served over HTTPS with a private certificate: a collector that trusts the
/// certificate's CA through <c>--ca-file</c> ships to it; one that does not is refused by its own
/// certificate check and sends nothing (not even its token).
/// </summary>
public sealed class HttpsShippingTests : IAsyncLifetime
{
    private const string Password = "test-pfx-password";
    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-tls-").FullName;
    private DashboardServer _server = null!;

    private string CaFile => Path.Combine(_directory, "dashboard-ca.pem");

    public async Task InitializeAsync()
    {
        // A private CA and a server certificate it signed, for 127.0.0.1.
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ExecDashboard test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        var pfx = Path.Combine(_directory, "dashboard.pfx");
        await File.WriteAllBytesAsync(pfx, withKey.Export(X509ContentType.Pkcs12, Password));
        await File.WriteAllTextAsync(CaFile, ca.ExportCertificatePem());
        _server = await DashboardServer.StartHttpsAsync(pfx, Password);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_collector_trusting_the_CA_file_ships_over_https()
    {
        await using var shipper = Shipper(CaFile);
        for (ulong serial = 1; serial <= 10; serial++)
        {
            await shipper.WriteAsync(TestEvents.Expr(80_000 + serial));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await shipper.FlushAsync(timeout.Token);
        Assert.Equal(0, shipper.Status.PendingBatches);
        Assert.True(shipper.Status.AcknowledgedBatch > 0);
        Assert.Equal(shipper.Status.LastSpooledBatch, shipper.Status.AcknowledgedBatch);
    }

    [Fact]
    public async Task A_collector_without_the_CA_refuses_the_certificate_and_ships_nothing()
    {
        await using var shipper = Shipper(caFile: null);
        await shipper.WriteAsync(TestEvents.Expr(81_000));
        for (var i = 0; i < 600 && shipper.Status.LastError is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains("SSL", shipper.Status.LastError ?? "(no error yet)", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, shipper.Status.AcknowledgedBatch);
        Assert.False(shipper.Status.Connected);
    }

    private DashboardShipper Shipper(string? caFile) => new(new ShippingOptions
    {
        Servers = [_server.BaseAddress],
        Token = DashboardServer.CollectorToken,
        CaFile = caFile,
        SpoolDirectory = Directory.CreateTempSubdirectory("execdash-spool-").FullName,
        Host = TestEvents.Host,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(500),
    });
}
