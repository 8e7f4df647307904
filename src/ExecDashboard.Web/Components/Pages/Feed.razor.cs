using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace ExecDashboard.Web.Components.Pages;

/// <summary>
/// The feed: newest execs first, following the stream (tail mode) until paused. While paused the
/// rows stay put and arrivals that match the filters are counted as "N new"; resuming shows them,
/// nothing is lost (the store keeps every event; the feed only reads).
/// </summary>
public sealed partial class Feed
{
    /// <summary>Rows held for the virtualized list; older ones stay in the store.</summary>
    internal const int MaxRows = 5_000;

    /// <summary>Rows whose process end is looked up on each refresh: more than a screen, far fewer than the rows.</summary>
    internal const int EndsLookedUp = 500;

    private List<StoredExec> _rows = [];
    private List<FeedItem> _items = [];
    private readonly HashSet<long> _expanded = [];
    private bool _folding = true;
    private bool _paused;
    private int _newWhilePaused;
    private string? _exe;
    private string? _argv;
    private string? _user;
    private string? _pid;
    private string? _userError;
    private string? _pidError;
    private ProcessKey? _under;
    private bool _noOlder;

    /// <summary>The rows come from more than one host: each row then names its own.</summary>
    private bool _severalHosts;
    private string? _underLabel;
    private IReadOnlyDictionary<ProcessKey, ProcessLifetime> _lifetimes = new Dictionary<ProcessKey, ProcessLifetime>();

    [Inject]
    public required NavigationManager Navigation { get; init; }

    /// <summary><c>fold=off</c> lists every exec on its own row.</summary>
    [SupplyParameterFromQuery(Name = "fold")]
    public string? FoldQuery { get; set; }

    /// <summary>A process key: show only it and its descendants.</summary>
    [SupplyParameterFromQuery(Name = "under")]
    public string? Under { get; set; }

    [SupplyParameterFromQuery(Name = "exe")]
    public string? ExeQuery { get; set; }

    [SupplyParameterFromQuery(Name = "pid")]
    public string? PidQuery { get; set; }

    private string NewText => _newWhilePaused > MaxRows ? $"{MaxRows.ToString(CultureInfo.InvariantCulture)}+" : _newWhilePaused.ToString(CultureInfo.InvariantCulture);

    private string StatusText
    {
        get
        {
            var where = (Viewed.IsLive ? "live" : $"session {Viewed.SessionId}") + (Viewed.Host is { } host ? $", host {host}" : null);
            var mode = _paused ? "paused" : "following";
            var cap = _rows.Count >= MaxRows && !_noOlder ? " (newest; more are stored)" : null;
            return string.Create(CultureInfo.InvariantCulture, $"{_rows.Count} execs{cap}, {where}, {mode}");
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _folding = !string.Equals(FoldQuery, "off", StringComparison.OrdinalIgnoreCase);
        _exe ??= ExeQuery;
        if (PidQuery is not null && _pid is null)
        {
            _pid = PidQuery;
        }

        _under = ProcessKey.TryParse(Under, out var key) ? key : null;
        _underLabel = null;
        if (_under is { } under && await Store.GetProcessAsync(under) is { } process)
        {
            _underLabel = ExecLabels.Of(process.Exe, process.Pid, process.Argv);
        }

        await RefreshAsync();
    }

    protected override Task OnViewedSessionChangedAsync() => RefreshAsync();

    internal ExecFilter CurrentFilter() => new()
    {
        Exe = string.IsNullOrWhiteSpace(_exe) ? null : _exe.Trim(),
        ArgvText = string.IsNullOrWhiteSpace(_argv) ? null : _argv,
        Uid = uint.TryParse(_user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null,
        Pid = int.TryParse(_pid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null,
        DescendantOf = _under,
        SessionId = Viewed.SessionId,
        Host = Viewed.Host,
    };

    protected override async Task PullAsync()
    {
        if (!_paused)
        {
            await RefreshAsync();
            return;
        }

        // Count what arrived after the newest row shown, without moving the rows.
        var newest = _rows.Count > 0 ? _rows[0].Id : 0;
        var arrived = await ReadAsync(MaxRows + 1);
        _newWhilePaused = arrived.TakeWhile(e => e.Id > newest).Count();
    }

    private async Task RefreshAsync()
    {
        _rows = [.. await ReadAsync(MaxRows)];
        Regroup();
        _newWhilePaused = 0;
        _noOlder = false;

        // After the rows are in place: they render at once, the marks of failed runs a moment later.
        await LoadEndsAsync();
    }

    /// <summary>Appends the next older page from SQLite (any age); pauses so the rows stay put.</summary>
    private async Task LoadOlderAsync()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        Pause();
        var older = await Store.QueryEventsAsync(CurrentFilter(), MaxRows, beforeId: _rows[^1].Id);
        _noOlder = older.Count < MaxRows;
        _rows.AddRange(older);
        Regroup();
        await LoadEndsAsync();
    }

    private async Task<IReadOnlyList<StoredExec>> ReadAsync(int max)
    {
        var filter = CurrentFilter();

        // The live stream reads the in-memory hot window; a stored session reads SQLite.
        return Viewed.IsLive ? Store.GetRecentEvents(filter, max) : await Store.QueryEventsAsync(filter, max);
    }

    private Task SetExe(string? value)
    {
        _exe = value;
        return RefreshAsync();
    }

    private Task SetArgv(string? value)
    {
        _argv = value;
        return RefreshAsync();
    }

    private Task SetUser(string? value)
    {
        _user = value;
        _userError = string.IsNullOrWhiteSpace(value) || uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "A uid is a number, for example 0 or 1000.";
        return RefreshAsync();
    }

    private Task SetPid(string? value)
    {
        _pid = value;
        _pidError = string.IsNullOrWhiteSpace(value) || int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "A PID is a positive number.";
        return RefreshAsync();
    }

    /// <summary>How the newest rows' processes ended, so failed runs (non-zero exit, killed) stand out.</summary>
    private async Task LoadEndsAsync() => _lifetimes = await Store.GetLifetimesAsync(EndsToLookUp());

    /// <summary>
    /// The newest <see cref="EndsLookedUp"/> rows' processes, and those of the single rows among the
    /// first <see cref="EndsLookedUp"/> items: folded, a screen of the sendmail loop is a dozen runs
    /// between folds of hundreds of <c>expr</c>s, so the runs on screen lie thousands of rows deep
    /// and a failed one would show unmarked. At most twice <see cref="EndsLookedUp"/> keys.
    /// </summary>
    private HashSet<ProcessKey> EndsToLookUp()
    {
        var keys = _rows.Take(EndsLookedUp).Select(r => r.Event.Process).ToHashSet();
        foreach (var item in _items.Take(EndsLookedUp))
        {
            if (item.Exec is { } row)
            {
                keys.Add(row.Event.Process);
            }
        }

        return keys;
    }

    /// <summary>The failed end of a row's process, if it had one.</summary>
    private ProcessEnd? FailedEnd(StoredExec row) =>
        _lifetimes.TryGetValue(row.Event.Process, out var lifetime) && lifetime.Failed ? lifetime.End : null;

    /// <summary>Members of a fold whose run ended badly, among those whose ends were looked up (<see cref="EndsLookedUp"/>).</summary>
    private int FailedRuns(FeedFold fold)
    {
        var failed = 0;
        foreach (var member in fold.Members)
        {
            if (FailedEnd(member) is not null)
            {
                failed++;
            }
        }

        return failed;
    }

    /// <summary>Folds consecutive execs of one parent and program (live-updating: called on every pull).</summary>
    private void Regroup()
    {
        _severalHosts = _rows.Count > 1 && _rows.Any(r => !string.Equals(r.Event.Exec.Host, _rows[0].Event.Exec.Host, StringComparison.Ordinal));
        _items = _folding ? FeedFolding.Fold(_rows, _expanded) : FeedFolding.Unfolded(_rows);

        // Forget expanded folds that left the rows, so the set stays as small as what is shown.
        if (_expanded.Count > 0)
        {
            var shown = _items.Where(i => i.Fold is not null).Select(i => i.Fold!.Key).ToHashSet();
            _expanded.RemoveWhere(key => !shown.Contains(key));
        }
    }

    private void SetFolding(bool folding)
    {
        _folding = folding;
        Regroup();
    }

    private void ToggleFold(FeedFold fold)
    {
        if (!_expanded.Remove(fold.Key))
        {
            _expanded.Add(fold.Key);
        }

        Regroup();
    }

    private void Pause()
    {
        _paused = true;
        _newWhilePaused = 0;
    }

    private Task Resume()
    {
        _paused = false;
        return RefreshAsync();
    }

    private void Open(StoredExec row) => Navigation.NavigateTo(ProcessLinks.Process(row.Event.Process, Viewed.SessionId));

    private void FilterUnder(StoredExec row) => Navigation.NavigateTo(ProcessLinks.FeedUnder(row.Event.Process, Viewed.SessionId));

    private void ClearUnder() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("under", (string?)null));

}
