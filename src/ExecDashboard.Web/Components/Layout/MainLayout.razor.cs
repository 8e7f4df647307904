using MudBlazor;

namespace ExecDashboard.Web.Components.Layout;

/// <summary>The shell: app bar with the light/dark toggle, navigation drawer, page body.</summary>
public sealed partial class MainLayout
{
    private readonly MudTheme _theme = new();
    private bool _drawerOpen = true;
    private bool _isDarkMode;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private void ToggleTheme() => _isDarkMode = !_isDarkMode;
}
