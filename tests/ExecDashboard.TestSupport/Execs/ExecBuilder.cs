using System.Text;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.TestSupport.Execs;

/// <summary>
/// Builds the exec events tests need, so each test says only what matters to it and adding a
/// field to <see cref="ExecObservation"/> touches one place. Immutable: every step returns a new
/// builder, so a scenario can keep a half-built exec and derive several from it.
/// </summary>
/// <example><c>ExecBuilder.Of("/usr/bin/expr", "expr", "1", "+", "1").Pid(2000).Under(parent).At(time).Serial(7).Build()</c></example>
public sealed record ExecBuilder
{
    /// <summary>Boot of the default process key; any eight hex digits would do.</summary>
    public const string DefaultBoot = "b00tc0de";

    /// <summary>Time of an exec that does not set one.</summary>
    public static readonly DateTimeOffset DefaultTime = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private ExecObservation _exec = null!;
    private ProcessKey _process;
    private ProcessKey? _parent;
    private int? _ppid;
    private IReadOnlyList<Ancestor> _ancestry = [];

    private ExecBuilder()
    {
    }

    /// <summary>A successful <c>execve</c> of <paramref name="exe"/> by PID 1000, with no parent until <see cref="Under(Ancestor[])"/>.</summary>
    public static ExecBuilder Of(string exe, params string[] argv) => new()
    {
        _exec = new ExecObservation
        {
            Time = DefaultTime,
            Serial = 1,
            Host = "testhost",
            Pid = 1000,
            Ppid = 0,
            Uid = 0,
            Auid = uint.MaxValue,
            Comm = Path.GetFileName(exe),
            Exe = exe,
            Argv = argv,
            Cwd = "/",
            Success = true,
            Exit = 0,
            Syscall = "execve",
            Arch = "x86_64",
        },
        _process = DefaultKey(1000),
    };

    /// <summary>The key a PID gets when a test does not choose one: start ticks ten times the PID.</summary>
    public static ProcessKey DefaultKey(int pid) => new(DefaultBoot, pid, pid * 10L);

    /// <summary>Sets the PID, keyed as <see cref="DefaultKey(int)"/>.</summary>
    public ExecBuilder Pid(int pid) => Key(DefaultKey(pid));

    /// <summary>Sets the process key and with it the PID.</summary>
    public ExecBuilder Key(ProcessKey process) => this with { _process = process, _exec = _exec with { Pid = process.Pid } };

    /// <summary>
    /// Sets the chain from the parent up to PID 1, nearest first; the parent key and PPID follow
    /// the first link. No links: an exec with no known parent.
    /// </summary>
    public ExecBuilder Under(params Ancestor[] chain) => Under((IReadOnlyList<Ancestor>)chain);

    /// <inheritdoc cref="Under(Ancestor[])"/>
    public ExecBuilder Under(IReadOnlyList<Ancestor> chain) => this with { _ancestry = chain };

    /// <summary>A parent key other than the first ancestor's, for shapes a real source never sends.</summary>
    public ExecBuilder Parent(ProcessKey parent) => this with { _parent = parent };

    /// <summary>A PPID other than the first ancestor's, for shapes a real source never sends.</summary>
    public ExecBuilder Ppid(int ppid) => this with { _ppid = ppid };

    public ExecBuilder At(DateTimeOffset time) => With(x => x with { Time = time });

    public ExecBuilder Serial(ulong serial) => With(x => x with { Serial = serial });

    public ExecBuilder Host(string host) => With(x => x with { Host = host });

    public ExecBuilder Uid(uint uid) => With(x => x with { Uid = uid });

    public ExecBuilder Auid(uint auid) => With(x => x with { Auid = auid });

    public ExecBuilder Comm(string comm) => With(x => x with { Comm = comm });

    /// <summary>Replaces the arguments given to <see cref="Of(string, string[])"/>.</summary>
    public ExecBuilder Argv(params string[] argv) => With(x => x with { Argv = argv });

    public ExecBuilder Cwd(string cwd) => With(x => x with { Cwd = cwd });

    public ExecBuilder Syscall(string syscall, string arch = "x86_64") => With(x => x with { Syscall = syscall, Arch = arch });

    /// <summary>A failed exec: the kernel returns <c>-errno</c> (2 is <c>ENOENT</c>, the usual miss).</summary>
    public ExecBuilder Failed(long errno = 2) => With(x => x with { Success = false, Exit = -errno });

    /// <summary>
    /// Appends an argument that is not valid UTF-8: its text is the decoded form with U+FFFD,
    /// and every argument's exact bytes are kept, as a source does.
    /// </summary>
    public ExecBuilder NonUtf8Argument(byte[] bytes) => With(x => x with
    {
        Argv = [.. x.Argv, Encoding.UTF8.GetString(bytes)],
        ArgvBytes = [.. x.ArgvBytes ?? x.Argv.Select(Encoding.UTF8.GetBytes), bytes],
    });

    /// <summary>Some argument could not be read whole; <see cref="ExecObservation.Argv"/> holds what was read.</summary>
    public ExecBuilder Truncated() => With(x => x with { ArgvTruncated = true });

    /// <summary>Any other change to the observation, for the shapes only one test needs.</summary>
    public ExecBuilder With(Func<ExecObservation, ExecObservation> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return this with { _exec = change(_exec) };
    }

    /// <summary>The exec as a source sees it, before lineage is attached.</summary>
    public ExecObservation Observation() => _exec with { Ppid = _ppid ?? (_ancestry.Count > 0 ? _ancestry[0].Pid : _exec.Ppid) };

    public ExecEvent Build() => new()
    {
        Exec = Observation(),
        Process = _process,
        Parent = _parent ?? (_ancestry.Count > 0 ? _ancestry[0].Key : ProcessKey.None),
        Ancestry = _ancestry,
    };

    /// <summary>This process as a link in a descendant's chain.</summary>
    public Ancestor AsAncestor(Provenance provenance = Provenance.ExecSeen) => Build().AsAncestor(provenance);
}
