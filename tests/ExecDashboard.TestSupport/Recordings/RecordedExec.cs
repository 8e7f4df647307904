namespace ExecDashboard.TestSupport.Recordings;

/// <summary>One exec as a generated recording describes it, before it is written as audit records.</summary>
public sealed record RecordedExec
{
    public required DateTimeOffset Time { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    public string Cwd { get; init; } = "/";

    public uint Uid { get; init; }

    /// <summary>0 for a successful exec, else the negative errno the kernel returned.</summary>
    public int Exit { get; init; }
}
