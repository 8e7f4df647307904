using ExecDashboard.Web.Components.Controls;
using ExecDashboard.Web.Components.Layout;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Components.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>The viewed session lives in the address (<c>?session=ID</c>), so reloads and shared links show the same view.</summary>
public sealed class DeepLinkTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    private ViewedSession Viewed => _ctx.Services.GetRequiredService<ViewedSession>();

    private NavigationManager Navigation => _ctx.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void A_link_with_a_session_opens_that_session_and_the_picker_names_it()
    {
        var imported = _ctx.Import("Yesterday's storm", [Execs.Of(2, "/bin/old", ["old"], _ctx.Time.GetUtcNow().AddDays(-1))]);
        Navigation.NavigateTo($"rates?session={imported.Id}");

        var cut = RenderLayoutWithPicker();

        Assert.Equal(imported.Id, Viewed.SessionId);
        cut.WaitForAssertion(() => Assert.Equal("Yesterday's storm", cut.Find(".session-picker input").GetAttribute("value")));
    }

    [Fact]
    public void The_address_decides_the_session_on_back_and_forward_and_no_session_is_live()
    {
        var imported = _ctx.Import("Recorded", [Execs.Of(2, "/bin/old", ["old"], _ctx.Time.GetUtcNow().AddDays(-1))]);
        var cut = RenderLayoutWithPicker();
        Assert.Null(Viewed.SessionId);

        cut.InvokeAsync(() => Navigation.NavigateTo($"?session={imported.Id}"));
        cut.WaitForAssertion(() => Assert.Equal(imported.Id, Viewed.SessionId));

        cut.InvokeAsync(() => Navigation.NavigateTo("rates"));
        cut.WaitForAssertion(() => Assert.Null(Viewed.SessionId));
    }

    [Fact]
    public async Task A_session_chosen_anywhere_is_written_into_the_address_and_live_removes_it()
    {
        var imported = _ctx.Import("Recorded", [Execs.Of(2, "/bin/old", ["old"], _ctx.Time.GetUtcNow().AddDays(-1))]);
        Navigation.NavigateTo("rates?storm=5");
        var cut = RenderLayoutWithPicker();

        await cut.InvokeAsync(() => Viewed.Show(imported.Id));
        Assert.Equal(imported.Id, SessionLinks.From(Navigation.Uri));
        Assert.Contains("storm=5", Navigation.Uri, StringComparison.Ordinal);

        await cut.InvokeAsync(() => Viewed.Show(null));
        Assert.Null(SessionLinks.From(Navigation.Uri));
        Assert.Null(Viewed.SessionId);
    }

    [Theory]
    [InlineData("http://localhost/rates?session=12", 12L)]
    [InlineData("http://localhost/process/b/1/2?under=x&session=7#top", 7L)]
    [InlineData("http://localhost/rates", null)]
    [InlineData("http://localhost/rates?session=live", null)]
    [InlineData("http://localhost/rates?session=-3", null)]
    public void Reads_the_session_from_an_address(string uri, long? expected)
    {
        Assert.Equal(expected, SessionLinks.From(uri));
    }

    private IRenderedComponent<MainLayout> RenderLayoutWithPicker() =>
        _ctx.Render<MainLayout>(p => p.Add(l => l.Body, builder =>
        {
            builder.OpenComponent<SessionPicker>(0);
            builder.CloseComponent();
        }));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
