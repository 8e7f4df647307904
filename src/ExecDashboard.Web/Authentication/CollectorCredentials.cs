namespace ExecDashboard.Web.Authentication;

/// <summary>
/// The tokens that open the collector hub, and the one owner of them. Without a tokens file that is
/// the single collector token; with one (<c>Dashboard:CollectorTokensFile</c>) it is the file's
/// named tokens, read again whenever the file changes, so removing a line revokes that token
/// without a restart. Every check first looks (one stat) whether the file changed, so a revoked
/// collector is refused at its next batch or reconnect whether or not a file watcher saw the edit.
/// Thread-safe.
/// </summary>
public sealed partial class CollectorCredentials
{
    private readonly string? _file;
    private readonly AccessToken _browser;
    private readonly ILogger _logger;
    private readonly Lock _reload = new();
    private volatile IReadOnlyList<CollectorCredential> _tokens;
    private FileVersion _loaded;

    public CollectorCredentials(DashboardTokens tokens, string? tokensFile, ILogger<CollectorCredentials> logger)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _browser = tokens.Browser;
        _logger = logger;
        _file = string.IsNullOrWhiteSpace(tokensFile) ? null : Path.GetFullPath(tokensFile);
        if (_file is null)
        {
            _tokens = [new CollectorCredential(CollectorCredential.SharedName, tokens.Collector)];
            StartProblems = [];
            return;
        }

        if (!File.Exists(_file))
        {
            _tokens = [];
            StartProblems = [$"Dashboard:CollectorTokensFile names {_file}, which does not exist; create it with one 'name token' line per collector."];
            return;
        }

        (_loaded, var list) = Read(_file);
        _tokens = list.Tokens;
        StartProblems = list.Problems;
    }

    /// <summary>The tokens file, or null when the single collector token is used.</summary>
    public string? TokensFile => _file;

    /// <summary>What is wrong with the tokens file at start-up: the dashboard refuses to start over it.</summary>
    public IReadOnlyList<string> StartProblems { get; }

    /// <summary>Names of the tokens that open the hub now.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            Refresh();
            return [.. _tokens.Select(t => t.Name)];
        }
    }

    /// <summary>Whose token this is, or null when it opens nothing (wrong, or revoked).</summary>
    public CollectorCredential? Identify(string presented)
    {
        Refresh();
        CollectorCredential? found = null;
        foreach (var token in _tokens)
        {
            // Every token is compared (constant time each), so timing does not tell which matched.
            if (token.Token.Matches(presented))
            {
                found = token;
            }
        }

        return found;
    }

    /// <summary>True while the token a connection authenticated with still opens the hub.</summary>
    public bool IsCurrent(string? name, string? fingerprint)
    {
        Refresh();
        return _tokens.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal) && string.Equals(t.Fingerprint, fingerprint, StringComparison.Ordinal));
    }

    /// <summary>Reads the tokens file again if it changed since it was last read.</summary>
    public void Refresh()
    {
        if (_file is null || FileVersion.Of(_file) == _loaded)
        {
            return;
        }

        lock (_reload)
        {
            if (FileVersion.Of(_file) == _loaded)
            {
                return;
            }

            if (!File.Exists(_file))
            {
                _loaded = FileVersion.Of(_file);
                _tokens = [];
                LogFileGone(_logger, _file);
                return;
            }

            try
            {
                var (version, list) = Read(_file);
                var revoked = _tokens.Select(t => t.Name).Except(list.Tokens.Select(t => t.Name), StringComparer.Ordinal).ToArray();
                _loaded = version;
                _tokens = list.Tokens;
                LogReloaded(_logger, _file, list.Tokens.Count, revoked.Length == 0 ? "none" : string.Join(", ", revoked));
                foreach (var problem in list.Problems)
                {
                    LogProblem(_logger, problem);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Fail closed: a file that cannot be read may be one from which a line was removed.
                _loaded = FileVersion.Of(_file);
                _tokens = [];
                LogUnreadable(_logger, _file, ex.Message);
            }
        }
    }

    private (FileVersion Version, CollectorTokenList List) Read(string file)
    {
        var version = FileVersion.Of(file);
        var list = CollectorTokenList.Parse(file, File.ReadAllLines(file), _browser);
        if ((File.GetUnixFileMode(file) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)) != 0)
        {
            LogReadableByOthers(_logger, file);
        }

        return (version, list);
    }

    /// <summary>Cheap change detection: a rewrite or a replacement (rename over it) changes one of these.</summary>
    private readonly record struct FileVersion(bool Exists, DateTime Written, long Length)
    {
        public static FileVersion Of(string file)
        {
            var info = new FileInfo(file);
            return info.Exists ? new(true, info.LastWriteTimeUtc, info.Length) : default;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Collector tokens reloaded from {File}: {Count} tokens; revoked: {Revoked}.")]
    private static partial void LogReloaded(ILogger logger, string file, int count, string revoked);

    [LoggerMessage(Level = LogLevel.Error, Message = "Collector tokens file: {Problem} That line is ignored.")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The collector tokens file {File} is gone: no collector token opens the hub until it is back.")]
    private static partial void LogFileGone(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the collector tokens file {File} ({Reason}); no collector token opens the hub until it can be read.")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The collector tokens file {File} is readable by group or others; make it 0600 (or 0640 for the dashboard's group).")]
    private static partial void LogReadableByOthers(ILogger logger, string file);
}
