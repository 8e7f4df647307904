using System.Globalization;

namespace ExecDashboard.Domain;

/// <summary>
/// Counts as every view shows them: <c>25,200</c>, whatever the server's culture, so a label such
/// as <c>expr ×25,200</c> reads the same in the graph, the timeline, the feed and Rates.
/// </summary>
public static class CountText
{
    public static string Of(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);
}
