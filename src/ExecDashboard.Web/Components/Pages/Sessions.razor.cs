using System.Globalization;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace ExecDashboard.Web.Components.Pages;

/// <summary>
/// Recordings: list, rename, delete, export (the streamed API download) and import. The upload
/// goes from the browser straight to <c>POST /api/sessions/import</c> (same cookie), so a large
/// file never passes through the circuit.
/// </summary>
public sealed partial class Sessions : IAsyncDisposable
{
    private IDisposable? _subscription;
    private IJSObjectReference? _module;
    private ElementReference _file;
    private IReadOnlyList<SessionInfo> _sessions = [];
    private long? _activeId;
    private long? _renaming;
    private string? _newName;
    private string? _importName;
    private bool _importing;
    private string? _message;
    private Severity _messageSeverity = Severity.Info;

    [Inject]
    public required ExecStore Store { get; init; }

    [Inject]
    public required ViewedSession Viewed { get; init; }

    [Inject]
    public required RecordingAnalyses Analyses { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required IOptions<DashboardOptions> Options { get; init; }

    /// <summary>
    /// A session with more execs than a trace may name processes is refused by the trace API
    /// (each exec names at least its own process, most a process of their own): its button says
    /// so instead of downloading the refusal as the trace file.
    /// </summary>
    private string? TraceRefusal(SessionInfo session) =>
        session.EventCount > Options.Value.MaxTraceProcesses
            ? string.Create(CultureInfo.InvariantCulture, $"{session.EventCount:N0} execs: more than a trace is built from (Dashboard:MaxTraceProcesses, {Options.Value.MaxTraceProcesses:N0} processes); export the session instead")
            : null;

    protected override Task OnInitializedAsync()
    {
        Viewed.Changed += OnViewedChanged;
        return LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _subscription = Store.Subscribe(() => InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }));
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Sessions.razor.js");
        }
    }

    private async Task LoadAsync()
    {
        var sessions = await Store.GetSessionsAsync();
        if (Viewed.Host is { } host)
        {
            // Per host: the sessions holding its execs (a live session may hold several hosts').
            var withHost = await Store.GetSessionIdsWithHostAsync(host);
            sessions = [.. sessions.Where(s => withHost.Contains(s.Id))];
        }

        _sessions = sessions;
        _activeId = Store.ActiveSession?.Id;
    }

    private void OnViewedChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private void Show(long id) => Viewed.Show(id == _activeId ? null : id);

    private void StartRename(SessionInfo session)
    {
        _renaming = session.Id;
        _newName = session.Name;
    }

    private async Task OnRenameKeyAsync(KeyboardEventArgs e, long id)
    {
        if (e.Key == "Enter")
        {
            await RenameAsync(id);
        }
        else if (e.Key == "Escape")
        {
            _renaming = null;
        }
    }

    private async Task RenameAsync(long id)
    {
        var name = _newName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            Say(Severity.Warning, "A session name must be 1 to 200 characters.");
            return;
        }

        _renaming = null;
        if (!await Store.RenameSessionAsync(id, name))
        {
            Say(Severity.Warning, $"Session {id} no longer exists.");
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(SessionInfo session)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete session",
            $"Delete \"{session.Name}\" and its {session.EventCount} execs? This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Store.DeleteSessionAsync(session.Id);
        Analyses.Forget(session.Id);
        if (Viewed.SessionId == session.Id)
        {
            Viewed.Show(null);
        }

        Say(result == SessionDeletion.Deleted ? Severity.Success : Severity.Warning, result switch
        {
            SessionDeletion.Deleted => $"Deleted \"{session.Name}\".",
            SessionDeletion.Active => $"\"{session.Name}\" is recording; it can be deleted once its collectors disconnect.",
            _ => $"Session {session.Id} no longer exists.",
        });
        await LoadAsync();
    }

    private async Task ImportAsync()
    {
        if (_module is null)
        {
            return;
        }

        _importing = true;
        try
        {
            var result = await _module.InvokeAsync<UploadResult>("upload", _file, _importName ?? string.Empty);
            if (result.Ok)
            {
                await LoadAsync();
                var imported = _sessions.FirstOrDefault(s => s.Id == result.SessionId);
                // What the import skipped is said beside what it stored, never left out.
                var skipped = string.IsNullOrEmpty(result.Skipped) ? string.Empty : $" Skipped: {result.Skipped}";
                Say(string.IsNullOrEmpty(result.Skipped) ? Severity.Success : Severity.Warning,
                    $"Imported \"{imported?.Name}\" with {imported?.EventCount} execs; the views now show it.{skipped}");
                Viewed.Show(result.SessionId);
            }
            else
            {
                Say(Severity.Error, result.Message);
            }
        }
        finally
        {
            _importing = false;
        }
    }

    private void Say(Severity severity, string message)
    {
        _messageSeverity = severity;
        _message = message;
    }

    public async ValueTask DisposeAsync()
    {
        Viewed.Changed -= OnViewedChanged;
        _subscription?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser left first.
            }
        }
    }

    /// <summary>What the upload module reports: the new session's id, or the server's one-sentence error.</summary>
    internal sealed record UploadResult(bool Ok, int Status, string Message, long SessionId, string? Skipped = null);
}
