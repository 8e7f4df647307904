using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Api;
using ExecDashboard.Web.Authentication;
using ExecDashboard.Web.Components;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Diagnostics;
using ExecDashboard.Web.Fleet;
using ExecDashboard.Web.Hubs;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Sessions;
using ExecDashboard.Web.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace ExecDashboard.Web;

/// <summary>Composition of the dashboard: services, middleware and endpoints, in data-flow order.</summary>
public static class DashboardApp
{
    public static WebApplication Build(string[] args)
    {
        // The app's own assets (top-level wwwroot/ of the repository) are copied beside the app.
        var appAssets = Path.Combine(AppContext.BaseDirectory, "appassets");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Library assets (MudBlazor's _content/) from the build's manifest, in every environment:
        // the dashboard is run from its build output as often as from a publish folder.
        builder.WebHost.UseStaticWebAssets();

        // Kestrel's default waits until a connection is readable before it takes a buffer to read
        // into (a wait, a wake-up and a read again whenever the socket runs dry). Reading into a
        // buffer at once took a third less of the dashboard's CPU for an upload (measured on a
        // 243 MB raw log: 0.41-0.47 s and 0.6-0.7 s of CPU instead of 0.6-1.0 s and 0.9-1.4 s).
        // The cost, a 4 KiB buffer held by each idle connection, is nothing at a dashboard's few.
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);

        // Per-request framework logs would bury the login link the console exists to show; the
        // configuration (Logging:LogLevel) can still turn them back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("ExecDashboard.Web.Authentication", LogLevel.Warning);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        if (builder.Configuration["port"] is { } portSwitch)
        {
            // `--port N` on the command line, the short form of Dashboard:Port.
            builder.Configuration[$"{DashboardOptions.SectionName}:{nameof(DashboardOptions.Port)}"] = portSwitch;
            options.Port = int.TryParse(portSwitch, out var p) ? p : -1;
        }

        if (string.IsNullOrEmpty(options.ConnectionString)
            && Environment.GetEnvironmentVariable(StoreEngines.ConnectionStringVariable) is { Length: > 0 } connectionString)
        {
            // Kept out of the command line (and so out of `ps`): it may hold a password.
            builder.Configuration[$"{DashboardOptions.SectionName}:{nameof(DashboardOptions.ConnectionString)}"] = connectionString;
            options.ConnectionString = connectionString;
        }

        builder.Services.AddOptions<DashboardOptions>().Bind(builder.Configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        var validation = new DashboardOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(DashboardOptions.SectionName, typeof(DashboardOptions), validation.Failures);
        }

        // Loopback only unless the user names addresses (--urls, ASPNETCORE_URLS): exec arguments can hold secrets.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        }

        var plainHttp = NetworkExposure.PlainHttpOnNetwork(builder.Configuration);
        if (plainHttp.Count > 0)
        {
            if (!options.AllowPlainHttpOnNetwork)
            {
                throw new OptionsValidationException(DashboardOptions.SectionName, typeof(DashboardOptions), [NetworkExposure.Describe(plainHttp, allowed: false)]);
            }

            Console.Error.WriteLine(NetworkExposure.Describe(plainHttp, allowed: true));
        }

        var paths = DashboardPaths.Resolve(options);
        var tokens = new DashboardTokens(
            TokenSource.Load(DashboardTokens.BrowserEnvironmentVariable, paths.TokenFile),
            TokenSource.Load(CollectorHubContract.TokenEnvironmentVariable, paths.CollectorTokenFile));
        if (TokenStrength.Check(tokens) is { Count: > 0 } weak)
        {
            throw new OptionsValidationException(DashboardOptions.SectionName, typeof(DashboardOptions), weak);
        }

        // Read here, before the host is built, so a bad tokens file stops the start with one
        // sentence like any other setting; the service below reads it again, with a logger for reloads.
        var collectorCredentials = new CollectorCredentials(tokens, options.CollectorTokensFile, NullLogger<CollectorCredentials>.Instance);
        if (collectorCredentials.StartProblems is { Count: > 0 } badTokens)
        {
            throw new OptionsValidationException(DashboardOptions.SectionName, typeof(DashboardOptions), badTokens);
        }

        var services = builder.Services;

        // Under systemd (Type=notify): READY=1 once listening, logs in the journal's format; elsewhere nothing.
        services.AddSystemd();
        services.AddSingleton(paths);
        services.AddSingleton(tokens);
        services.AddSingleton(sp => new CollectorCredentials(tokens, options.CollectorTokensFile, sp.GetRequiredService<ILogger<CollectorCredentials>>()));
        services.AddHostedService<CollectorTokensWatcher>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LoginRegistry>();
        services.AddDataProtection()
            .SetApplicationName("ExecDashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(paths.DataDirectory, "keys")));
        services.AddDashboardAuthentication();

        services.ConfigureHttpJsonOptions(o =>
        {
            // Execs in answers take their shape from the one contract, as in jsonl and exports.
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractJsonContext.Default);

            // Processes too, with the contract's conventions (names, times, nothing written as null).
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, ApiJsonContext.Default);
            o.SerializerOptions.Converters.Add(new ProcessKeyJsonConverter());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });

        services.AddSingleton<FleetExecAnalytics>();
        services.AddSingleton<IExecAnalytics>(sp => sp.GetRequiredService<FleetExecAnalytics>());
        services.AddSingleton(sp => StoreEngines.Open(options, paths, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ExecStore>();
        services.AddSingleton<LatencySummary>();
        services.AddSingleton<CollectorRegistry>();
        services.AddSingleton<BatchValidator>();
        services.AddSingleton<IngestQueue>();
        services.AddHostedService<IngestWorker>();
        services.AddFleet();
        services.AddHostedService<RetentionWorker>();
        services.AddSingleton<SessionFormat>();
        services.AddSingleton<ISessionExporter>(sp => sp.GetRequiredService<SessionFormat>());
        services.AddSingleton<ExportGate>();
        services.AddSingleton<ISessionImporter>(sp => sp.GetRequiredService<SessionFormat>());
        services.AddSingleton<ISessionImporter, AuditLogImporter>();
        services.AddSingleton<SessionImport>();
        services.AddHostedService<LoginLinkAnnouncer>();

        // Collectors hold their own token: they may read why a batch failed (detailed errors).
        // A collector's calls run side by side up to its send window (see CollectorHub).
        services.AddSignalR(o => o.MaximumReceiveMessageSize = options.MaxHubMessageBytes)
            .AddHubOptions<CollectorHub>(o =>
            {
                o.EnableDetailedErrors = true;
                o.MaximumParallelInvocationsPerClient = CollectorHubContract.BatchesInFlight;
            })
            .AddMessagePackProtocol(o => o.SerializerOptions = HubSerializer.Options);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddDashboardViews();

        var app = builder.Build();
        app.UseExceptionHandler("/error", createScopeForErrors: true);

        // Static files are public (no token): they hold no data from processes.
        if (Directory.Exists(appAssets))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(appAssets) });
        }

        // Before authentication: a cross-origin request is refused whatever cookie it carries.
        app.UseMiddleware<SameOriginGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapLogin();
        app.MapDashboardApi();
        app.MapHub<CollectorHub>(CollectorHubContract.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.Services.GetRequiredService<ExecStore>();
        app.Services.GetRequiredService<LatencySummary>();
        return app;
    }
}
