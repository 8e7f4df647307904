using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Configuration;

/// <summary>Rejects settings that cannot work, at start-up, with one sentence per problem.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Dashboard:Port must be between 0 and 65535, not {options.Port}.");
        }

        if (options.HotWindowCapacity < 1_000)
        {
            failures.Add($"Dashboard:HotWindowCapacity must be at least 1000, not {options.HotWindowCapacity}.");
        }

        if (options.StoreCacheEntries < 1_000)
        {
            failures.Add($"Dashboard:StoreCacheEntries must be at least 1000, not {options.StoreCacheEntries}.");
        }

        if (options.ImportLineageProcesses < 1_000)
        {
            failures.Add($"Dashboard:ImportLineageProcesses must be at least 1000, not {options.ImportLineageProcesses}.");
        }

        if (options.MaxHubMessageBytes < 64 * 1024)
        {
            failures.Add($"Dashboard:MaxHubMessageBytes must be at least 65536, not {options.MaxHubMessageBytes}.");
        }

        if (options.MaxEventsPerBatch is < 1 or > 100_000)
        {
            failures.Add($"Dashboard:MaxEventsPerBatch must be between 1 and 100000, not {options.MaxEventsPerBatch}.");
        }

        if (options.IngestQueueCapacity < 1)
        {
            failures.Add($"Dashboard:IngestQueueCapacity must be at least 1, not {options.IngestQueueCapacity}.");
        }

        if (options.MaxTraceProcesses < 1)
        {
            failures.Add($"Dashboard:MaxTraceProcesses must be at least 1, not {options.MaxTraceProcesses}.");
        }

        if (options.MaxImportBytes < 1024)
        {
            failures.Add($"Dashboard:MaxImportBytes must be at least 1024, not {options.MaxImportBytes}.");
        }

        if (options.NotifyInterval < TimeSpan.FromMilliseconds(10) || options.NotifyInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"Dashboard:NotifyInterval must be between 10 ms and 10 s, not {options.NotifyInterval}.");
        }

        if (!(options.StormThresholdPerSecond > 0))
        {
            failures.Add($"Dashboard:StormThresholdPerSecond must be above 0, not {options.StormThresholdPerSecond}.");
        }

        failures.AddRange(StoreEngines.Validate(options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
