using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;
using ExecDashboard.TestSupport.Execs;

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

        ExecEvent Make(string comm, Func<ExecBuilder, ExecBuilder>? shape = null, Func<ExecEvent, ExecEvent>? whole = null)
        {
            var p = pid++;
            var exec = TestEvents.Child("/usr/bin/" + comm, comm, "--flag")
                .Key(new ProcessKey(Boot, p, 100 + p))
                .At(now)
                .Serial(serial++)
                .Comm(comm)
                .Uid(1000)
                .Auid(1000)
                .Cwd("/tmp");
            var e = (shape?.Invoke(exec) ?? exec).Build();
            return whole?.Invoke(e) ?? e;
        }

        void Add(string name, ExecEvent e)
        {
            ExecValidator.Validate(e);
            shapes.Add((name, e));
        }

        Add("no arguments, cut", Make("shape-noargs", b => b.Argv().Truncated()));
        Add("empty arguments", Make("shape-emptyargs", b => b.Argv("", "", "")));
        Add("markup everywhere", Make("shape-markup", b => b.With(o => o with
        {
            Exe = "/tmp/<script>alert(1)</script>",
            Argv = ["<b>bold</b>", "\"quoted\" & 'single'", "{{ template }}", "@code { }"],
            Cwd = "/tmp/<img src=x onerror=alert(1)>",
        })));
        Add("control, bidi and emoji", Make("shape-ctl\u0001\u001b[31m", b => b.With(o => o with
        {
            Exe = "/tmp/\u202eexe.txt\u0007",
            Argv = ["a\tb\nc\rd", "\u200b\u2066rtl\u2069", "😀👩‍💻", "\u007f\u0085"],
            Cwd = "/tmp/\u202e",
        })));
        Add("invalid UTF-8", Make("shape-bytes", b => b.Argv("shape-bytes").NonUtf8Argument([0xff, 0x41, 0xc3, 0x28])));
        Add("failed exec", Make("shape-failed", b => b.Failed().Argv().With(o => o with { Exe = "/nonexistent/shape-failed" })));
        Add("no parent", Make("shape-orphan", b => b.Under()));

        // This shape and the deepest ancestry name another parent but keep the sendmail PPID: a
        // mismatch the validator admits, so a page must cope with it.
        Add("inferred ancestor", Make("shape-inferred", b => b.Under(Ancestors.Inferred(new ProcessKey(Boot, 39_999, 7))).Ppid(TestEvents.Sendmail.Pid)));
        Add("longest argument", Make("shape-longarg", b => b.Argv("shape-longarg", new string('L', ExecLimits.MaxArgumentBytes))));
        Add("most arguments", Make("shape-manyargs", b => b.Argv([.. Enumerable.Repeat("m", ExecLimits.MaxArguments)])));
        Add("longest paths and comm", Make("shape-" + new string('c', ExecLimits.MaxCommChars - 6), b => b.With(o => o with
        {
            Exe = "/" + new string('e', ExecLimits.MaxPathChars - 1),
            Cwd = "/" + new string('d', ExecLimits.MaxPathChars - 1),
        })));
        Add("extreme numbers", Make("shape-numbers", b => b
            .Serial(ulong.MaxValue - 7)
            .Uid(uint.MaxValue)
            .Auid(uint.MaxValue)
            .Ppid(ExecLimits.MaxPid)
            .With(o => o with { Exit = long.MinValue })));
        Add("earliest time", Make("shape-epoch", b => b.At(ExecLimits.EarliestTime)));
        Add("latest time", Make("shape-future", b => b.At(ExecLimits.LatestTime)));
        Add("odd boot name", Make("shape-boot", whole: e => e with { Process = new ProcessKey("node one?#%&=+ ü", e.Exec.Pid, long.MaxValue) }));
        Add("deepest ancestry", Make("shape-deep", b => b
            .Under([.. Enumerable.Range(0, ExecLimits.MaxAncestry).Select(i => Ancestors.Of(
                new ProcessKey(Boot, 100_000 + i, i), "/bin/sh", (Provenance)(i % 3), "sh", "-c", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))])
            .Ppid(TestEvents.Sendmail.Pid)));
        Add("execveat on i386", Make("shape-i386", b => b.Syscall("execveat", "i386")));
        return shapes;
    }
}
