using ExecDashboard.Web.Api;
using ExecDashboard.Web.Sessions;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Api;

public sealed class SessionResponseTests
{
    private static readonly SessionInfo Live = new()
    {
        Id = 7,
        Name = "Live",
        Started = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero),
        Host = "mailhost",
        Origin = "live",
        EventCount = 3,
    };

    [Fact]
    public void The_live_session_is_active_until_it_has_ended()
    {
        Assert.True(SessionResponse.From(Live, activeId: 7).Active);
        Assert.False(SessionResponse.From(Live, activeId: 8).Active);
        Assert.False(SessionResponse.From(Live, activeId: null).Active);
    }

    [Fact]
    public void A_session_read_as_ended_is_not_active_even_when_it_was_the_live_one_a_moment_before()
    {
        // The sessions endpoint reads the live id, then the sessions: the last collector leaving in
        // between ends the session, and the answer must not say both ended and active.
        var ended = Live with { Ended = Live.Started.AddMinutes(5) };

        Assert.False(SessionResponse.From(ended, activeId: 7).Active);
        Assert.False(ImportResponse.From(ended, activeId: 7, new ImportSkips()).Active);
    }
}
