using ExecDashboard.Collector.CommandLine;
using ExecDashboard.Collector.Options;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Collector.Wiring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Collector.Hosting;

/// <summary>The collector as a generic host: command line → validated options → worker → exit status.</summary>
internal static class CollectorHost
{
    private const string ProgramName = "execdash-collector";

    /// <summary>Builds the host for a parsed command line; null when the command line asked for help or was wrong.</summary>
    public static IHost Build(CommandLineResult commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);

        // No default sources: appsettings.json from the working directory has no business here.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        builder.Services.AddSystemd();
        ConfigureLogging(builder.Logging);

        builder.Services.AddOptions<CollectorOptions>().BindConfiguration(CollectorOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CollectorOutcome>();
        builder.Services.AddSingleton<ICollectorComposition, CollectorComposition>();
        builder.Services.AddHostedService<CollectorWorker>();
        return builder.Build();
    }

    /// <summary>Runs the command line to completion and returns the exit status; never throws for user errors.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = CollectorCommandLine.Parse(args);
        if (commandLine.HelpRequested)
        {
            await Console.Out.WriteAsync(CollectorCommandLine.HelpText + Environment.NewLine);
            return CollectorOutcome.Success;
        }

        if (commandLine.Error is { } usage)
        {
            return Fail(usage, CollectorOutcome.UsageError);
        }

        using var host = Build(commandLine);
        var outcome = host.Services.GetRequiredService<CollectorOutcome>();
        try
        {
            // Resolve the options once before starting, so a wrong value is one sentence, not a host failure log.
            _ = host.Services.GetRequiredService<IOptions<CollectorOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            return Fail(string.Join(' ', e.Failures), CollectorOutcome.UsageError);
        }
        catch (InvalidOperationException e) when (e.InnerException is FormatException or ArgumentException)
        {
            return Fail($"An option has a value of the wrong kind: {e.InnerException.Message}", CollectorOutcome.UsageError);
        }

        await host.RunAsync();
        return outcome.Message is { } message ? Fail(message, outcome.ExitCode) : outcome.ExitCode;
    }

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"{ProgramName}: {message}");
        return exitCode;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z' ";
        });

        // Standard output carries events only; every log line goes to standard error.
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    }
}
