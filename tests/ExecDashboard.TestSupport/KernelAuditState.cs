namespace ExecDashboard.TestSupport;

/// <summary>
/// The audit settings a test may change, captured before it runs so that <see cref="Restore"/> can
/// put them back even when the code under test failed to.
/// </summary>
public sealed class KernelAuditState
{
    private KernelAuditState(IReadOnlyDictionary<string, long> status, IReadOnlyList<string> rules)
    {
        Status = status;
        Rules = rules;
    }

    public IReadOnlyDictionary<string, long> Status { get; }

    public IReadOnlyList<string> Rules { get; }

    public long Enabled => Status["enabled"];

    public long Pid => Status["pid"];

    public long BacklogLimit => Status["backlog_limit"];

    public static KernelAuditState Capture() => new(AuditCtl.Status(), AuditCtl.Rules());

    /// <summary>Deletes rules with <paramref name="key"/> and sets enabled, failure, rate and backlog settings back.</summary>
    public void Restore(string key)
    {
        AuditCtl.DeleteRulesWithKey(key);
        var now = AuditCtl.Status();
        if (now["enabled"] == 2)
        {
            return; // locked until reboot: nothing can be set back
        }

        AuditCtl.Run(
            "-e", Status["enabled"].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", Status["failure"].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-r", Status["rate_limit"].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-b", Status["backlog_limit"].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--backlog_wait_time", Status["backlog_wait_time"].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
