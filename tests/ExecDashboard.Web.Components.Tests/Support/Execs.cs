using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Web.Components.Tests.Support;

/// <summary>
/// Single exec events for component tests: one boot, all under <see cref="Init"/> unless told
/// otherwise, each with a serial of its own so the store never takes two for one.
/// </summary>
public static class Execs
{
    public const string Boot = "c0ffee00";

    public static readonly Ancestor Init = Ancestors.Init(Boot);

    private static ulong _serial;

    public static ExecEvent Of(int pid, string exe, string[] argv, DateTimeOffset time, uint uid = 0, Ancestor[]? ancestry = null, bool success = true)
    {
        var exec = ExecBuilder.Of(exe, argv)
            .Key(new ProcessKey(Boot, pid, 100 + pid))
            .Under(ancestry ?? [Init])
            .At(time)
            .Serial(Interlocked.Increment(ref _serial))
            .Host("test-host")
            .Uid(uid)
            .Cwd("/tmp");
        return (success ? exec : exec.Failed()).Build();
    }
}
