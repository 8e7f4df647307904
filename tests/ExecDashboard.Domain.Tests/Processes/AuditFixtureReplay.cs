using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Domain.Tests.Processes;

/// <summary>
/// Replays the fork/exec chains of an audit log fixture into a <see cref="ProcessTable"/>.
/// Deliberately minimal (SYSCALL pid/ppid/exe/exit and EXECVE aN only): the lineage tests must
/// not depend on the real record parser.
/// </summary>
internal static partial class AuditFixtureReplay
{
    public static string FixturePath(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExecDashboard.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "audit", relative));
    }

    /// <summary>Replays the file; returns every exec event in log order.</summary>
    public static List<ExecEvent> Replay(ProcessTable table, string relative)
    {
        var events = new List<ExecEvent>();
        foreach (var item in Read(FixturePath(relative)))
        {
            if (item is ForkRecord fork)
            {
                // The forking process itself proves it exists and who started it; tell the table
                // if it has not heard of it (the connector would have reported that fork).
                if (!table.IsKnown(fork.Fork.ParentPid))
                {
                    table.Apply(ProcessLifecycleEvent.Fork(fork.CallerPpid, fork.Fork.ParentPid, fork.Fork.Time));
                }

                table.Apply(fork.Fork);
            }
            else
            {
                events.Add(table.Attach((ExecObservation)item, startTicks: null));
            }
        }

        return events;
    }

    private static List<object> Read(string path)
    {
        var order = new List<string>();
        var records = new Dictionary<string, List<(string Type, Dictionary<string, string> Fields)>>();
        foreach (var line in File.ReadLines(path))
        {
            var header = Header().Match(line);
            if (!header.Success)
            {
                continue;
            }

            var id = header.Groups["id"].Value;
            if (!records.TryGetValue(id, out var list))
            {
                records[id] = list = [];
                order.Add(id);
            }

            var fields = new Dictionary<string, string>();
            foreach (Match field in Field().Matches(line[header.Length..]))
            {
                var key = field.Groups["k"].Value;
                fields[key] = field.Groups["q"].Success ? field.Groups["q"].Value
                    : header.Groups["type"].Value == "EXECVE" && Argument().IsMatch(key) ? Encoding.UTF8.GetString(Convert.FromHexString(field.Groups["v"].Value)) // unquoted aN: hex
                    : field.Groups["v"].Value;
            }

            list.Add((header.Groups["type"].Value, fields));
        }

        var items = new List<object>();
        foreach (var id in order)
        {
            var syscall = records[id].FirstOrDefault(r => r.Type == "SYSCALL").Fields;
            if (syscall is null)
            {
                continue;
            }

            var seconds = decimal.Parse(id[..id.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var time = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            var number = int.Parse(syscall["syscall"], CultureInfo.InvariantCulture);
            var aarch64 = syscall["arch"] == "c00000b7";
            var pid = int.Parse(syscall["pid"], CultureInfo.InvariantCulture);
            var success = syscall["success"] == "yes";
            if (aarch64 ? number is 220 or 435 : number is 56 or 57 or 58 or 435)
            {
                if (success)
                {
                    var child = int.Parse(syscall["exit"], CultureInfo.InvariantCulture);
                    items.Add(new ForkRecord(int.Parse(syscall["ppid"], CultureInfo.InvariantCulture), ProcessLifecycleEvent.Fork(pid, child, time)));
                }

                continue;
            }

            if (aarch64 ? number is not (221 or 281) : number is not (59 or 322))
            {
                continue;
            }

            var execve = records[id].FirstOrDefault(r => r.Type == "EXECVE").Fields ?? [];
            var argc = execve.TryGetValue("argc", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
            var argv = Enumerable.Range(0, argc).Select(i => execve[$"a{i}"]).ToArray();
            items.Add(ExecBuilder.Of(syscall["exe"], argv)
                .Pid(pid)
                .Ppid(int.Parse(syscall["ppid"], CultureInfo.InvariantCulture))
                .At(time)
                .Serial(ulong.Parse(id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture))
                .Host("fixture")
                .Comm(syscall["comm"])
                .Syscall("execve", aarch64 ? "aarch64" : "x86_64")
                .With(x => x with { Success = success, Exit = long.Parse(syscall["exit"], CultureInfo.InvariantCulture) })
                .Observation());
        }

        return items;
    }

    private sealed record ForkRecord(int CallerPpid, ProcessLifecycleEvent Fork);

    [GeneratedRegex(@"^type=(?<type>[A-Z_]+) msg=audit\((?<id>[0-9.]+:[0-9]+)\): ")]
    private static partial Regex Header();

    [GeneratedRegex(@"(?<k>[A-Za-z0-9_\[\]]+)=(?:""(?<q>[^""]*)""|(?<v>\S+))")]
    private static partial Regex Field();

    [GeneratedRegex(@"^a[0-9]+$")]
    private static partial Regex Argument();
}
