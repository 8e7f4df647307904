using System.Net.Sockets;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// PostgreSQL failures as the user should read them: one sentence saying what failed, why and
/// what to do; and which of them mean "away for now" (the same work succeeds once it is back).
/// </summary>
internal static class PostgresErrors
{
    /// <summary>
    /// Server gone, restarting or refusing connections for now: class 08 (connection exception),
    /// 57P01-57P03 (shutdown, crash, starting up), 53300 (too many connections).
    /// See https://www.postgresql.org/docs/current/errcodes-appendix.html.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        SocketException => true,
        _ => error.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>The one sentence for a failure to open or prepare the store.</summary>
    public static string Describe(Exception error, NpgsqlConnectionStringBuilder target)
    {
        var server = target.Host is { } host && host.StartsWith('/') ? $"socket directory {host}, port {target.Port}" : $"{target.Host}:{target.Port}";
        return error switch
        {
            PostgresException { SqlState: "28P01" or "28000" } pg =>
                $"PostgreSQL at {server} refused the login of role '{target.Username}' ({Trim(pg.MessageText)}); check the user and password in Dashboard:ConnectionString.",
            PostgresException { SqlState: "3D000" } =>
                $"The PostgreSQL database '{target.Database}' does not exist at {server}; create it (createdb) or name another in Dashboard:ConnectionString.",
            PostgresException { SqlState: "42501" } pg =>
                $"The PostgreSQL role '{target.Username}' lacks the rights the dashboard needs in database '{target.Database}' ({Trim(pg.MessageText)}); grant it CREATE and USAGE on its schema and rights on the dashboard's tables, or let the database owner run the first start.",
            PostgresException pg =>
                $"PostgreSQL at {server} failed ({pg.SqlState}: {Trim(pg.MessageText)}).",
            _ when IsTransient(error) =>
                $"Cannot reach the PostgreSQL server at {server} ({Trim(Innermost(error).Message)}); start it or correct Dashboard:ConnectionString.",
            _ => $"Cannot use the PostgreSQL server at {server} ({Trim(Innermost(error).Message)}).",
        };
    }

    private static Exception Innermost(Exception error) => error.InnerException is { } inner ? Innermost(inner) : error;

    private static string Trim(string message) => message.Trim().TrimEnd('.');
}
