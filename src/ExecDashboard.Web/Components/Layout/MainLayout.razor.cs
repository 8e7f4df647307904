using System.Globalization;
using ExecDashboard.Web.Components.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;

namespace ExecDashboard.Web.Components.Layout;

/// <summary>
/// The shell: app bar with the light/dark toggle, navigation drawer, page body. It also keeps the
/// viewed session and the address in step: the address's <c>?session=ID</c> decides what the pages
/// show (on load, reload, back and forward), a link followed inside the app keeps it, and a session
/// chosen anywhere (the picker, the sessions page) is written into the address.
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
    /// A link clicked inside the app (the menu, a row) that names no session goes to the same
    /// session. Only intercepted link clicks: back and forward must land where the address says.
    /// </summary>
    private ValueTask KeepSessionAsync(LocationChangingContext context)
    {
        if (context.IsNavigationIntercepted && Viewed.SessionId is { } id && SessionLinks.From(context.TargetLocation) is null)
        {
            var target = Navigation.ToAbsoluteUri(context.TargetLocation);
            if (Navigation.ToBaseRelativePath(target.ToString()).StartsWith("api/", StringComparison.Ordinal))
            {
                return ValueTask.CompletedTask;
            }

            context.PreventNavigation();
            Navigation.NavigateTo(WithSession(target, id));
        }

        return ValueTask.CompletedTask;
    }

    private static string WithSession(Uri target, long id)
    {
        var builder = new UriBuilder(target);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : string.Empty) + string.Create(CultureInfo.InvariantCulture, $"{SessionLinks.Parameter}={id}");
        return builder.Uri.ToString();
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e) => Viewed.Show(SessionLinks.From(e.Location));

    /// <summary>A new history entry, so back returns to the session shown before.</summary>
    private void OnViewedChanged()
    {
        if (SessionLinks.From(Navigation.Uri) == Viewed.SessionId)
        {
            return;
        }

        Navigation.NavigateTo(Viewed.SessionId is { } id
            ? Navigation.GetUriWithQueryParameter(SessionLinks.Parameter, id)
            : Navigation.GetUriWithQueryParameter(SessionLinks.Parameter, (string?)null));
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
