namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Makes the sendmail loop happen and reach the dashboard: a caller runs the bash script
/// <c>/usr/sbin/sendmail -t</c> once per queue size, each run execs <c>expr $n + 1</c> per item.
/// Today the events are shipped through the real hub; a producer that runs the script under the
/// real collector on the real kernel can take its place without changing the test.
/// </summary>
internal interface ISendmailLoopProducer
{
    /// <summary>Produces the loop, returns once the dashboard has stored every exec.</summary>
    Task<SendmailLoopRun> RunAsync(DashboardProcess dashboard, IReadOnlyList<int> queueSizes, CancellationToken cancellationToken);
}

/// <summary>What the browser should then show.</summary>
/// <param name="CallerName">File name of the program that calls sendmail (for example <c>esmtp-wrapper</c>).</param>
/// <param name="TotalExecs">Every exec produced: the runs, their <c>expr</c> children, and anything else.</param>
internal sealed record SendmailLoopRun(string CallerName, int TotalExecs);
