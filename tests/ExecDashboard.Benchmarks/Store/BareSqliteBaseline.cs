using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Benchmarks.Store;

/// <summary>
/// The yardstick: SQLite itself storing exec-shaped rows (the fields of one exec, strings
/// inline), with one prepared insert and one transaction per 512 rows, in WAL mode with
/// synchronous=NORMAL like the dashboard. Nothing to parse, no lineage, no network.
/// </summary>
internal static class BareSqliteBaseline
{
    public static double RowsPerSecond(string directory, long rows)
    {
        var path = Path.Combine(directory, "baseline.db");
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        Execute(c, """
            PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
            CREATE TABLE execs (id INTEGER PRIMARY KEY, time_us INTEGER, serial INTEGER, host TEXT, pid INTEGER, ppid INTEGER,
                uid INTEGER, auid INTEGER, comm TEXT, exe TEXT, argv TEXT, cwd TEXT, success INTEGER, exit INTEGER, syscall TEXT, arch TEXT);
            """);
        var watch = Stopwatch.StartNew();
        using var insert = c.CreateCommand();
        insert.CommandText = "INSERT INTO execs (time_us, serial, host, pid, ppid, uid, auid, comm, exe, argv, cwd, success, exit, syscall, arch) VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);";
        for (var i = 0; i < 15; i++)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture) });
        }

        insert.Prepare();
        for (long done = 0; done < rows;)
        {
            using var transaction = c.BeginTransaction();
            insert.Transaction = transaction;
            for (var n = 0; n < 512 && done < rows; n++, done++)
            {
                var p = insert.Parameters;
                p[0].Value = 1_700_000_000_000_000 + (done * 1000);
                p[1].Value = 1000 + done;
                p[2].Value = "mailhost";
                p[3].Value = 10_000 + done;
                p[4].Value = 10_002;
                p[5].Value = 0;
                p[6].Value = 1000;
                p[7].Value = "expr";
                p[8].Value = "/usr/bin/expr";
                p[9].Value = string.Create(CultureInfo.InvariantCulture, $"[\"expr\",\"{done % 2240}\",\"+\",\"1\"]");
                p[10].Value = "/var/spool/mqueue";
                p[11].Value = 1;
                p[12].Value = 0;
                p[13].Value = "execve";
                p[14].Value = "x86_64";
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
