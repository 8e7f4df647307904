using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ExecDashboard.TestSupport.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temporary directory owned by the
/// <c>postgres</c> user (PostgreSQL refuses to run as root), <c>pg_ctl start</c> on a free loopback
/// port with its socket in that directory, and in <see cref="Dispose"/> a fast stop and the
/// directory removed, whatever the tests did. Needs Debian's <c>postgresql</c> package.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PostgresCluster : IDisposable
{
    private const string ServiceUser = "postgres";
    private readonly string _bin;
    private readonly string _data;
    private int _databases;

    public PostgresCluster()
    {
        _bin = FindBinaries();
        Directory = CreateDirectory();
        _data = Path.Combine(Directory, "data");
        Port = FreePort();
        try
        {
            if (RunsAsRoot)
            {
                Run("chown", [$"{ServiceUser}:", Directory], asService: false);
            }

            Run(Path.Combine(_bin, "initdb"), ["-D", _data, "-U", ServiceUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The cluster's directory (data, socket, log).</summary>
    public string Directory { get; }

    public int Port { get; }

    public bool Running { get; private set; }

    /// <summary>The superuser's connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres", string user = ServiceUser) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = user,
        Database = database,
        Timeout = 10,
    }.ConnectionString;

    /// <summary>A new empty database; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"execdash_{Interlocked.Increment(ref _databases)}");
        Execute($"CREATE DATABASE {name};");
        return ConnectionString(name);
    }

    /// <summary>Runs SQL as the superuser in <paramref name="database"/>.</summary>
    public void Execute(string sql, string database = "postgres")
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a query returning one number as the superuser in <paramref name="database"/>.</summary>
    public long Scalar(string sql, string database)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Starts the server and waits until it accepts connections (<c>pg_ctl -w</c>).</summary>
    public void Start()
    {
        Run(Path.Combine(_bin, "pg_ctl"),
        [
            "-D", _data, "-l", Path.Combine(Directory, "log"), "-w", "-t", "60",
            "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off"),
            "start",
        ]);
        Running = true;
    }

    /// <summary>Stops the server (fast: open connections are ended, as in a restart).</summary>
    public void Stop()
    {
        Running = false;
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", _data, "-m", "fast", "-w", "-t", "60", "stop"]);
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                Stop();
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static bool RunsAsRoot => Environment.UserName == "root";

    /// <summary>
    /// As root, under /tmp rather than $TMPDIR: the postgres user must reach the directory, and a
    /// root's TMPDIR may lie in a home it cannot enter.
    /// </summary>
    private static string CreateDirectory()
    {
        if (!RunsAsRoot)
        {
            return System.IO.Directory.CreateTempSubdirectory("execdash-pg-").FullName;
        }

        var path = Path.Combine("/tmp", $"execdash-pg-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>initdb and pg_ctl: on the PATH, else the newest of Debian's versioned directories.</summary>
    private static string FindBinaries()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException("PostgreSQL's initdb and pg_ctl were not found (on the PATH or under /usr/lib/postgresql); install Debian's postgresql package.");
    }

    private void Run(string program, string[] args, bool asService = true)
    {
        var start = new ProcessStartInfo(asService && RunsAsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asService && RunsAsRoot)
        {
            foreach (var a in new[] { "-u", ServiceUser, "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(Directory, "log");
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', args)} failed ({process.ExitCode}): {output.Result}{error.Result}{(File.Exists(log) ? File.ReadAllText(log) : string.Empty)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
