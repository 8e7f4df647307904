using System.Runtime.CompilerServices;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Support;

internal static class SqliteMode
{
    // The dashboard sets SQLite's threading mode before its first connection; tests open
    // connections of their own (a version 1 database to migrate) in any order, so this assembly
    // sets it as it loads, as the dashboard's store does, and every test runs in that mode.
#pragma warning disable CA2255 // A test assembly, not a library that others load.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Configure() => SqliteThreading.Configure();
}
