using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>The SQLite store the dashboard opens for a data folder, for tests of the store itself.</summary>
internal static class SqliteStores
{
    public static SqliteEventStore In(string dataDirectory) =>
        new(DashboardPaths.Resolve(new DashboardOptions { DataDirectory = dataDirectory }), TimeProvider.System);
}
