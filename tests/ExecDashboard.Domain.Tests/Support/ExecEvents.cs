using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Domain.Tests.Support;

/// <summary>Short forms of <see cref="ExecBuilder"/> for the lineage-heavy pure-logic tests.</summary>
internal static class ExecEvents
{
    public static readonly DateTimeOffset T0 = ExecBuilder.DefaultTime;

    public static ProcessKey Key(int pid, long start = 0) => start == 0 ? ExecBuilder.DefaultKey(pid) : new(ExecBuilder.DefaultBoot, pid, start);

    public static Ancestor Ancestor(ProcessKey key, string exe, params string[] argv) => Ancestors.Of(key, exe, argv);

    /// <summary>An exec of <paramref name="exe"/> by process <paramref name="process"/>, child of the first ancestor.</summary>
    public static ExecEvent Exec(
        ProcessKey process,
        IReadOnlyList<Ancestor> ancestry,
        DateTimeOffset time,
        string exe,
        string[] argv,
        ulong serial = 1,
        IReadOnlyList<byte[]>? argvBytes = null) =>
        ExecBuilder.Of(exe, argv).Key(process).Under(ancestry).At(time).Serial(serial).With(x => x with { ArgvBytes = argvBytes }).Build();
}
