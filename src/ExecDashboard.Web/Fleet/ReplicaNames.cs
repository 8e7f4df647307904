using System.Globalization;

namespace ExecDashboard.Web.Fleet;

/// <summary>How a dashboard replica is named to the others (<c>Dashboard:ReplicaName</c>).</summary>
public static class ReplicaNames
{
    /// <summary>The machine and the process: unique among replicas running at once, readable on the collectors page.</summary>
    public static string Default() => string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}");
}
