using ExecDashboard.Sources.Netlink;

namespace ExecDashboard.Kernel.Tests.Netlink;

/// <summary>The per-key flock that tells a live collector's rules from a crashed run's leftovers.</summary>
public sealed class AuditRuleOwnershipTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"execdash-owner-{Guid.NewGuid():N}");

    [Fact]
    public void First_claim_owns_and_a_second_sees_the_live_owner_until_it_lets_go()
    {
        using (var first = AuditRuleOwnership.Claim(_directory, "k"))
        {
            Assert.Equal(AuditRuleOwnershipState.Owner, first.State);
            using var second = AuditRuleOwnership.Claim(_directory, "k");
            Assert.Equal(AuditRuleOwnershipState.HeldByAnother, second.State);
            using var otherKey = AuditRuleOwnership.Claim(_directory, "other");
            Assert.Equal(AuditRuleOwnershipState.Owner, otherKey.State);
        }

        using var after = AuditRuleOwnership.Claim(_directory, "k");
        Assert.Equal(AuditRuleOwnershipState.Owner, after.State);
    }

    [Fact]
    public void Lock_file_is_readable_and_writable_by_its_owner_only()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Rule locks are Linux only.");
        }

        using var owner = AuditRuleOwnership.Claim(_directory, "k");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuditRuleOwnership.LockPath(_directory, "k")));
    }

    [Fact]
    public void A_directory_that_cannot_be_created_leaves_the_rules_unguarded_and_says_why()
    {
        var file = Path.Combine(Path.GetTempPath(), $"execdash-owner-{Guid.NewGuid():N}");
        File.WriteAllText(file, "");
        try
        {
            using var claim = AuditRuleOwnership.Claim(Path.Combine(file, "sub"), "k");
            Assert.Equal(AuditRuleOwnershipState.Unguarded, claim.State);
            Assert.False(string.IsNullOrEmpty(claim.Reason));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Key_with_a_slash_stays_one_file_name()
    {
        Assert.Equal(Path.Combine("/run/x", "rules-a_b.lock"), AuditRuleOwnership.LockPath("/run/x", "a/b"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
