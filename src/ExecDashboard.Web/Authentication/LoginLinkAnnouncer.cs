using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// Prints the login link once the server listens (its port may have been chosen at bind time),
/// the way Jupyter and the Aspire dashboard do. It goes to standard output, not the log, so log
/// shipping does not carry the token.
/// </summary>
public sealed class LoginLinkAnnouncer(IServer server, IHostApplicationLifetime lifetime, DashboardTokens tokens) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var browsable = address.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal);
            Console.Out.WriteLine($"ExecDashboard: log in at {browsable.TrimEnd('/')}/login?t={Uri.EscapeDataString(tokens.Browser.Value)}");
        }

        Console.Out.WriteLine($"ExecDashboard: collectors connect to {addresses.FirstOrDefault()?.TrimEnd('/')}{Contracts.CollectorHubContract.Path} with the {tokens.Collector}.");
        Console.Out.Flush();
    }
}
