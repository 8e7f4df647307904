using ExecDashboard.Collector.Options;

namespace ExecDashboard.Collector.CommandLine;

/// <summary>
/// Turns <c>--name value</c>, <c>--name=value</c> and flags into configuration settings for
/// <see cref="CollectorOptions"/>. Values with a fixed set of choices are checked here so a typo
/// gets a sentence that lists the choices; combinations are checked by <see cref="CollectorOptionsValidator"/>.
/// </summary>
public static class CollectorCommandLine
{
    public const string HelpText = """
        Usage: execdash-collector [OPTIONS]

        Prints every execve/execveat the Linux kernel performs, with the chain of parent
        processes up to PID 1.

        Options:
          --source netlink|file  where exec events come from (default: netlink, the kernel's
                                 audit netlink socket; needs root or CAP_AUDIT_CONTROL and
                                 CAP_AUDIT_READ)
          --file PATH            the auditd log to read with --source file
          --follow               keep reading the log as it grows, across rotation (like tail -F)
          --output text|jsonl|none
                                 text: one line per exec; jsonl: one JSON object per exec;
                                 none: nothing (default: none with --server, else text on a
                                 terminal and jsonl otherwise)
          --server URL[,URL...]  also push events to the dashboard at URL (for example
                                 http://127.0.0.1:5150, or https://host:5151 across a network,
                                 whose certificate is verified); with several replicas of one
                                 dashboard, comma-separated: the collector sticks to one and
                                 moves to the next when it is gone; the collector token comes
                                 from the environment variable EXECDASH_COLLECTOR_TOKEN or
                                 --token-file
          --token-file PATH      file holding the dashboard's collector token
          --ca-file PATH         PEM file of CA certificates trusted for an https:// --server
                                 (for a self-signed or private-CA dashboard certificate)
          --spool DIR            on-disk spool of events the dashboard has not acknowledged
                                 (default: /var/spool/execdashboard as root, else
                                 ~/.local/state/execdashboard/spool)
          --key NAME             the audit rule key of the rules the collector installs
                                 (default: execdash)
          --stats-interval SEC   how often loss counters are logged while they change (default: 10)
          -h, --help             show this text

        Events go to standard output, logs and errors to standard error.
        Exit status: 0 on success, 1 when the source fails, 2 for a wrong command line.
        """;

    private static readonly string[] SourceChoices = ["netlink", "file"];
    private static readonly string[] OutputChoices = ["text", "jsonl", "none"];

    public static CommandLineResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new CommandLineResult { HelpRequested = true };
            }

            var (name, inlineValue) = Split(arg);
            string? Value()
            {
                if (inlineValue is not null)
                {
                    return inlineValue;
                }

                return i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }

            string? error = name switch
            {
                "--source" => Choice(name, Value(), SourceChoices, nameof(CollectorOptions.Source), settings),
                "--output" => Choice(name, Value(), OutputChoices, nameof(CollectorOptions.Output), settings),
                "--file" => Text(name, Value(), nameof(CollectorOptions.File), settings),
                "--key" => Text(name, Value(), nameof(CollectorOptions.Key), settings),
                "--server" => Servers(name, Value(), settings),
                "--token-file" => Text(name, Value(), nameof(CollectorOptions.TokenFile), settings),
                "--ca-file" => Text(name, Value(), nameof(CollectorOptions.CaFile), settings),
                "--spool" => Text(name, Value(), nameof(CollectorOptions.SpoolDirectory), settings),
                "--stats-interval" => Seconds(name, Value(), settings),
                "--follow" => inlineValue is null ? Set(settings, nameof(CollectorOptions.Follow), "true") : "--follow takes no value.",
                _ when arg.StartsWith('-') => $"Unknown option '{arg}'; run with --help to see the options.",
                _ => $"Unexpected argument '{arg}'; run with --help to see the options.",
            };

            if (error is not null)
            {
                return new CommandLineResult { Error = error };
            }
        }

        return new CommandLineResult { Settings = settings };
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string? Choice(string option, string? value, string[] choices, string key, Dictionary<string, string?> settings)
    {
        if (value is null || !choices.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return $"{option} must be one of {string.Join(", ", choices)}{(value is null ? string.Empty : $", not '{value}'")}.";
        }

        return Set(settings, key, value);
    }

    private static string? Text(string option, string? value, string key, Dictionary<string, string?> settings) =>
        string.IsNullOrEmpty(value) ? $"{option} needs a value." : Set(settings, key, value);

    /// <summary>
    /// <c>URL1,URL2,...</c>: each must be an absolute http(s) address, checked here so the sentence
    /// can name the one that is not (the binder would take "host:5150" as a relative address).
    /// </summary>
    private static string? Servers(string option, string? value, Dictionary<string, string?> settings)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{option} needs a value.";
        }

        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            if (!Uri.TryCreate(parts[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"{option} takes http:// or https:// addresses separated by commas, such as http://10.0.0.1:5150,http://10.0.0.2:5150; '{parts[i]}' is not one.";
            }

            Set(settings, $"{nameof(CollectorOptions.Servers)}:{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}", uri.ToString());
        }

        return null;
    }

    private static string? Seconds(string option, string? value, Dictionary<string, string?> settings)
    {
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds <= 0 || seconds > TimeSpan.FromDays(1).TotalSeconds)
        {
            return $"{option} needs a number of seconds greater than 0.";
        }

        return Set(settings, nameof(CollectorOptions.StatsInterval), TimeSpan.FromSeconds(seconds).ToString("c", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string? Set(Dictionary<string, string?> settings, string key, string value)
    {
        settings[$"{CollectorOptions.SectionName}:{key}"] = value;
        return null;
    }
}
