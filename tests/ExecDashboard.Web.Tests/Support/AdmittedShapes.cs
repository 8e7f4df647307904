using System.Text;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>
/// Exec events at the edges of what <see cref="ExecValidator"/> admits: empty and maximal values,
/// markup, control and bidi characters, invalid UTF-8, failed execs, no parent, the deepest
/// ancestry, the extreme times and numbers. Each has a distinct <c>comm</c> so a page can be
/// checked for it.
/// </summary>
internal static class AdmittedShapes
{
    public const string Boot = "5ha9e5";

    public static IReadOnlyList<(string Name, ExecEvent Event)> All(ulong firstSerial, DateTimeOffset now)
    {
        var shapes = new List<(string, ExecEvent)>();
        var serial = firstSerial;
        var pid = 40_000;

        ExecEvent Make(string comm, Func<ExecObservation, ExecObservation>? exec = null, Func<ExecEvent, ExecEvent>? whole = null)
        {
            var p = pid++;
            var e = new ExecEvent
            {
                Exec = new ExecObservation
                {
                    Time = now,
                    Serial = serial++,
                    Host = TestEvents.Host,
                    Pid = p,
                    Ppid = TestEvents.Sendmail.Pid,
                    Uid = 1000,
                    Auid = 1000,
                    Comm = comm,
                    Exe = "/usr/bin/" + comm,
                    Argv = [comm, "--flag"],
                    Cwd = "/tmp",
                    Success = true,
                    Exit = 0,
                    Syscall = "execve",
                    Arch = "x86_64",
                },
                Process = new ProcessKey(Boot, p, 100 + p),
                Parent = TestEvents.Sendmail.Key,
                Ancestry = [TestEvents.Sendmail, TestEvents.Systemd],
            };
            e = e with { Exec = exec?.Invoke(e.Exec) ?? e.Exec };
            return whole?.Invoke(e) ?? e;
        }

        void Add(string name, ExecEvent e)
        {
            ExecValidator.Validate(e);
            shapes.Add((name, e));
        }

        Add("no arguments, cut", Make("shape-noargs", x => x with { Argv = [], ArgvTruncated = true }));
        Add("empty arguments", Make("shape-emptyargs", x => x with { Argv = ["", "", ""] }));
        Add("markup everywhere", Make("shape-markup", x => x with
        {
            Exe = "/tmp/<script>alert(1)</script>",
            Argv = ["<b>bold</b>", "\"quoted\" & 'single'", "{{ template }}", "@code { }"],
            Cwd = "/tmp/<img src=x onerror=alert(1)>",
        }));
        Add("control, bidi and emoji", Make("shape-ctl\u0001\u001b[31m", x => x with
        {
            Exe = "/tmp/\u202eexe.txt\u0007",
            Argv = ["a\tb\nc\rd", "\u200b\u2066rtl\u2069", "😀👩‍💻", "\u007f\u0085"],
            Cwd = "/tmp/\u202e",
        }));
        var invalid = new byte[] { 0xff, 0x41, 0xc3, 0x28 };
        Add("invalid UTF-8", Make("shape-bytes", x => x with
        {
            Argv = ["shape-bytes", Encoding.UTF8.GetString(invalid)],
            ArgvBytes = [Encoding.UTF8.GetBytes("shape-bytes"), invalid],
        }));
        Add("failed exec", Make("shape-failed", x => x with { Success = false, Exit = -2, Argv = [], Exe = "/nonexistent/shape-failed" }));
        Add("no parent", Make("shape-orphan", whole: e => e with { Parent = ProcessKey.None, Ancestry = [] }, exec: x => x with { Ppid = 0 }));
        Add("inferred ancestor", Make("shape-inferred", whole: e => e with
        {
            Ancestry = [new Ancestor { Key = new ProcessKey(Boot, 39_999, 7), Pid = 39_999, Exe = string.Empty, Argv = [], Provenance = Provenance.Inferred }],
            Parent = new ProcessKey(Boot, 39_999, 7),
        }));
        Add("longest argument", Make("shape-longarg", x => x with { Argv = ["shape-longarg", new string('L', ExecLimits.MaxArgumentBytes)] }));
        Add("most arguments", Make("shape-manyargs", x => x with { Argv = [.. Enumerable.Repeat("m", ExecLimits.MaxArguments)] }));
        Add("longest paths and comm", Make("shape-" + new string('c', ExecLimits.MaxCommChars - 6), x => x with
        {
            Exe = "/" + new string('e', ExecLimits.MaxPathChars - 1),
            Cwd = "/" + new string('d', ExecLimits.MaxPathChars - 1),
        }));
        Add("extreme numbers", Make("shape-numbers", x => x with
        {
            Serial = ulong.MaxValue - 7,
            Uid = uint.MaxValue,
            Auid = uint.MaxValue,
            Exit = long.MinValue,
            Ppid = ExecLimits.MaxPid,
        }));
        Add("earliest time", Make("shape-epoch", x => x with { Time = ExecLimits.EarliestTime }));
        Add("latest time", Make("shape-future", x => x with { Time = ExecLimits.LatestTime }));
        Add("odd boot name", Make("shape-boot", whole: e => e with { Process = new ProcessKey("node one?#%&=+ ü", e.Exec.Pid, long.MaxValue) }));
        Add("deepest ancestry", Make("shape-deep", whole: e => e with
        {
            Ancestry = [.. Enumerable.Range(0, ExecLimits.MaxAncestry).Select(i => new Ancestor
            {
                Key = new ProcessKey(Boot, 100_000 + i, i),
                Pid = 100_000 + i,
                Exe = "/bin/sh",
                Argv = ["sh", "-c", i.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Provenance = (Provenance)(i % 3),
            })],
            Parent = new ProcessKey(Boot, 100_000, 0),
        }));
        Add("execveat on i386", Make("shape-i386", x => x with { Syscall = "execveat", Arch = "i386" }));
        return shapes;
    }
}
