using System.Globalization;
using ExecDashboard.TestSupport;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>
/// The kernel's audit configuration as <c>auditctl</c> (Debian's auditd package) reports it: an
/// independent view of what the collector changed and whether it put everything back.
/// </summary>
internal sealed record AuditState(string Enabled, string Pid, string BacklogLimit, string Failure, IReadOnlyList<string> Rules)
{
    public static AuditState Read()
    {
        var status = AuditCtl.Status();
        string Field(string name) => status[name].ToString(CultureInfo.InvariantCulture);
        return new AuditState(Field("enabled"), Field("pid"), Field("backlog_limit"), Field("failure"), AuditCtl.Rules());
    }

    public IEnumerable<string> RulesWithKey(string key) => Rules.Where(r => r.Contains($"key={key}", StringComparison.Ordinal));

    /// <summary>Everything that must be as it was once a collector has stopped.</summary>
    public void AssertRestoredTo(AuditState before)
    {
        ArgumentNullException.ThrowIfNull(before);
        Assert.Equal(before.Rules, Rules);
        Assert.Equal(before.Enabled, Enabled);
        Assert.Equal(before.Pid, Pid);
        Assert.Equal(before.BacklogLimit, BacklogLimit);
        Assert.Equal(before.Failure, Failure);
    }
}
