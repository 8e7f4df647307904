using Microsoft.Extensions.Options;

namespace ExecDashboard.Collector.Options;

/// <summary>Checks combinations the binder cannot: each failure is one sentence that names the option.</summary>
public sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
    // AUDIT_MAX_KEY_LEN in include/uapi/linux/audit.h.
    private const int MaxKeyLength = 256;

    // Well above the deepest chain the process table builds (ProcessTableOptions.MaxDepth), so
    // an exec's own ancestors are never what makes room for it.
    private const int MinReplayProcesses = 1024;

    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Source == SourceKind.File && string.IsNullOrWhiteSpace(options.File))
        {
            failures.Add("--source file needs --file PATH naming an auditd log.");
        }

        if (options.Source != SourceKind.File && !string.IsNullOrEmpty(options.File))
        {
            failures.Add("--file is only used with --source file.");
        }

        if (options.Follow && options.Source != SourceKind.File)
        {
            failures.Add("--follow is only used with --source file.");
        }

        if (string.IsNullOrEmpty(options.Key) || options.Key.Length > MaxKeyLength || options.Key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"--key must be 1 to {MaxKeyLength} characters without spaces or control characters.");
        }

        foreach (var server in options.Servers)
        {
            if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"--server must be http:// or https:// addresses such as http://127.0.0.1:5150, not '{server}'.");
            }
        }

        if (options.Servers.Distinct().Count() != options.Servers.Count)
        {
            failures.Add("--server names the same dashboard twice.");
        }

        if (options.CaFile is not null && (!options.Ships || options.Servers.Any(s => s.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add("--ca-file is only used with https:// --server addresses.");
        }

        if (!options.Ships && (options.TokenFile is not null || options.SpoolDirectory is not null))
        {
            failures.Add("--token-file and --spool are only used with --server.");
        }

        if (!options.Ships && options.Output == OutputFormat.None)
        {
            failures.Add("--output none needs --server, or the events would go nowhere.");
        }

        if (options.QueueCapacity < 1024)
        {
            failures.Add("The queue capacity must be at least 1024 records.");
        }

        if (options.ReplayProcesses < MinReplayProcesses)
        {
            failures.Add($"A replay must keep at least {MinReplayProcesses} processes for lineage.");
        }

        if (options.StatsInterval <= TimeSpan.Zero)
        {
            failures.Add("The statistics interval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
