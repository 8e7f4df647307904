using AngleSharp.Dom;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Components.Layout;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>
/// Issue 11, many hosts: every page shows the hosts of what it shows with their exec counts, and
/// picking one narrows the page (and every page after it, through <c>?host=NAME</c>) to that host.
/// </summary>
public sealed class HostFacetTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();
    private ulong _serial;

    private ViewedSession Viewed => _ctx.Services.GetRequiredService<ViewedSession>();

    private NavigationManager Navigation => _ctx.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task The_feed_lists_each_host_with_its_execs_and_picking_one_shows_only_its_execs()
    {
        await AppendTwoHostsAsync();
        var cut = _ctx.Render<Feed>();

        cut.WaitForAssertion(() => Assert.Equal(["All hosts (5)", "alpha-host (3)", "beta-host (2)"], Choices(cut).Select(c => c.TextContent.Trim())));
        Assert.Equal(5, cut.FindAll("[data-testid=feed-row]").Count);
        Assert.Equal(["beta-host", "alpha-host"], cut.FindAll("[data-testid=feed-host]").Select(h => h.TextContent).Distinct());

        await cut.InvokeAsync(() => Choices(cut).Single(c => c.GetAttribute("data-host") == "alpha-host").Click());

        Assert.Equal("alpha-host", Viewed.Host);
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=feed-row]");
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => Assert.Contains("alpha", r.TextContent, StringComparison.Ordinal));
        });
        Assert.Contains("host alpha-host", cut.Find("[data-testid=feed-status]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=feed-host]"));

        await cut.InvokeAsync(() => Choices(cut).Single(c => c.GetAttribute("data-host") == string.Empty).Click());
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=feed-row]").Count));
    }

    [Fact]
    public async Task The_rates_of_one_host_name_only_its_programs()
    {
        await AppendTwoHostsAsync();
        Viewed.ShowHost("beta-host");

        var cut = _ctx.Render<Rates>();

        cut.WaitForAssertion(() => Assert.Contains("run-beta", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("run-alpha", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_is_in_the_address_and_a_link_inside_the_app_keeps_it()
    {
        await AppendTwoHostsAsync();
        Navigation.NavigateTo("?host=beta-host");
        var cut = _ctx.Render<MainLayout>(p => p.Add(l => l.Body, builder =>
        {
            builder.OpenComponent<Feed>(0);
            builder.CloseComponent();
        }));

        Assert.Equal("beta-host", Viewed.Host);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=feed-row]").Count));

        await cut.InvokeAsync(() => Viewed.ShowHost("alpha-host"));
        Assert.Equal("alpha-host", SessionLinks.HostFrom(Navigation.Uri));

        await cut.InvokeAsync(() => Viewed.ShowHost(null));
        Assert.Null(SessionLinks.HostFrom(Navigation.Uri));
    }

    /// <summary>Two hosts, the same PIDs: a shell 700 on each, with children 701 and 702 on alpha-host and 701 on beta-host.</summary>
    private async Task AppendTwoHostsAsync()
    {
        var now = _ctx.Time.GetUtcNow();
        var alphaShell = Exec("alpha-host", 700, "/usr/bin/bash", ["bash", "run-alpha"], now.AddSeconds(-3));
        var betaShell = Exec("beta-host", 700, "/usr/bin/bash", ["bash", "run-beta"], now.AddSeconds(-3));
        var alphaChild = Exec("alpha-host", 701, "/usr/bin/alpha", ["alpha", "1"], now.AddSeconds(-2), alphaShell.AsAncestor());
        var alphaChild2 = Exec("alpha-host", 702, "/usr/bin/alpha", ["alpha", "2"], now.AddSeconds(-2), alphaShell.AsAncestor());
        var betaChild = Exec("beta-host", 701, "/usr/bin/beta", ["beta", "1"], now.AddSeconds(-2), betaShell.AsAncestor());
        await _ctx.AppendAsync(alphaShell, betaShell, alphaChild, alphaChild2, betaChild);
    }

    private ExecEvent Exec(string host, int pid, string exe, string[] argv, DateTimeOffset time, Ancestor? parent = null)
    {
        var init = Ancestors.Init(host);
        return ExecBuilder.Of(exe, argv)
            .Key(new ProcessKey(host, pid, 100 + pid))
            .Under(parent is null ? [init] : [parent, init])
            .At(time)
            .Serial(++_serial)
            .Host(host)
            .Build();
    }

    private static IReadOnlyList<IElement> Choices(IRenderedComponent<IComponent> cut) => cut.FindAll("[data-testid=host-choice]");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
