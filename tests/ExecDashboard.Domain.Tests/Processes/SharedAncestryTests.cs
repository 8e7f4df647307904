using ExecDashboard.Domain.Processes;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class SharedAncestryTests
{
    private static readonly Ancestor Bash = Ancestor(Key(1000), "/usr/bin/bash", "bash");
    private static readonly Ancestor Init = Ancestor(Key(1), "/sbin/init");

    [Fact]
    public void Same_instances_in_the_same_order_are_shared() =>
        Assert.True(SharedAncestry.SameInstances([Bash, Init], new List<Ancestor> { Bash, Init }));

    [Fact]
    public void Equal_copies_are_not_the_same_instances() =>
        Assert.False(SharedAncestry.SameInstances([Bash, Init], [Bash with { }, Init]));

    [Fact]
    public void Another_order_or_length_is_not_shared()
    {
        Assert.False(SharedAncestry.SameInstances([Bash, Init], [Init, Bash]));
        Assert.False(SharedAncestry.SameInstances([Bash, Init], [Bash]));
    }

    [Fact]
    public void Empty_ancestries_share_nothing() =>
        Assert.False(SharedAncestry.SameInstances([], []));
}
