using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// With <c>Dashboard:RetentionDays</c> above 0, removes older events at start and then every hour
/// (whole day partitions on PostgreSQL, a bounded DELETE on SQLite). A failed pass is logged and
/// tried again at the next hour; it never stops the dashboard.
/// </summary>
public sealed partial class RetentionWorker(ExecStore store, IOptions<DashboardOptions> options, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var days = options.Value.RetentionDays;
        if (days <= 0)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var removed = await Task.Run(() => store.ApplyRetention(days), stoppingToken);
                    if (removed.Events > 0 || removed.Sessions > 0)
                    {
                        LogRemoved(logger, removed.Events, removed.Sessions, days);
                    }
                }
#pragma warning disable CA1031 // Logged; retention runs again at the next interval.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogFailed(logger, ex);
                }

                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Events} events and {Sessions} sessions older than {Days} days.")]
    private static partial void LogRemoved(ILogger logger, long events, long sessions, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention could not remove old events; it tries again in an hour.")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
