using System.Globalization;
using ExecDashboard.Web.Components.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace ExecDashboard.Web.Components.Layout;

/// <summary>
/// The shell: app bar with the light/dark toggle, navigation drawer, page body. It also keeps the
/// viewed session and host and the address in step: the address's <c>?session=ID</c> and
/// <c>?host=NAME</c> decide what the pages show (on load, reload, back and forward), a link followed
/// inside the app keeps them, and a session or host chosen anywhere (the pickers, the sessions
/// page) is written into the address.
/// </summary>
public sealed partial class MainLayout : IDisposable
{
    private readonly MudTheme _theme = new();
    private bool _drawerOpen = true;
    private bool _isDarkMode;
    private IDisposable? _keepSession;

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ViewedSession Viewed { get; init; }

    protected override void OnInitialized()
    {
        Viewed.Show(SessionLinks.From(Navigation.Uri));
        Viewed.ShowHost(SessionLinks.HostFrom(Navigation.Uri));
        Navigation.LocationChanged += OnLocationChanged;
        Viewed.Changed += OnViewedChanged;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _keepSession = Navigation.RegisterLocationChangingHandler(KeepSessionAsync);
        }
    }

    /// <summary>
    /// A link clicked inside the app (the menu, a row) that names no session or host goes to the
    /// same session and host. Only intercepted link clicks: back and forward must land where the
    /// address says.
    /// </summary>
    private ValueTask KeepSessionAsync(LocationChangingContext context)
    {
        if (!context.IsNavigationIntercepted)
        {
            return ValueTask.CompletedTask;
        }

        var session = Viewed.SessionId is { } id && SessionLinks.From(context.TargetLocation) is null ? id : (long?)null;
        var host = Viewed.Host is { } name && SessionLinks.HostFrom(context.TargetLocation) is null ? name : null;
        if (session is not null || host is not null)
        {
            var target = Navigation.ToAbsoluteUri(context.TargetLocation);
            if (Navigation.ToBaseRelativePath(target.ToString()).StartsWith("api/", StringComparison.Ordinal))
            {
                return ValueTask.CompletedTask;
            }

            context.PreventNavigation();
            Navigation.NavigateTo(With(target, session, host));
        }

        return ValueTask.CompletedTask;
    }

    private static string With(Uri target, long? session, string? host)
    {
        var builder = new UriBuilder(target);
        var query = builder.Query.TrimStart('?');
        if (session is { } id)
        {
            query = (query.Length > 0 ? query + "&" : string.Empty) + string.Create(CultureInfo.InvariantCulture, $"{SessionLinks.Parameter}={id}");
        }

        if (host is not null)
        {
            query = (query.Length > 0 ? query + "&" : string.Empty) + $"{SessionLinks.HostParameter}={Uri.EscapeDataString(host)}";
        }

        builder.Query = query;
        return builder.Uri.ToString();
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        Viewed.Show(SessionLinks.From(e.Location));
        Viewed.ShowHost(SessionLinks.HostFrom(e.Location));
    }

    /// <summary>A new history entry, so back returns to the view shown before.</summary>
    private void OnViewedChanged()
    {
        if (SessionLinks.From(Navigation.Uri) == Viewed.SessionId
            && string.Equals(SessionLinks.HostFrom(Navigation.Uri), Viewed.Host, StringComparison.Ordinal))
        {
            return;
        }

        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            [SessionLinks.Parameter] = Viewed.SessionId,
            [SessionLinks.HostParameter] = Viewed.Host,
        }));
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private void ToggleTheme() => _isDarkMode = !_isDarkMode;

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        Viewed.Changed -= OnViewedChanged;
        _keepSession?.Dispose();
    }
}
