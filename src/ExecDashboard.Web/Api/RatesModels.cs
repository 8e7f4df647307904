using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Api;

public sealed record ChainCountResponse(string Chain, long Runs);

/// <summary>
/// A program across its runs: <c>childrenPerRun</c> oldest first (the newest <c>droppedRuns</c>-less
/// runs), the growth <c>verdict</c> with the exponent <c>k</c> of total work (1 linear, 2 quadratic).
/// </summary>
public sealed record ProgramRateResponse(
    string Program, string Exe, string ArgvTemplate, long Runs, long Children, IReadOnlyList<long> ChildrenPerRun, long DroppedRuns,
    string Verdict, double Exponent, string Shape, double Trend, int JudgedRuns, bool NewestLeftOut,
    DateTimeOffset FirstRun, DateTimeOffset LastRun, DateTimeOffset RangeFrom, DateTimeOffset RangeTo, long Execs, double ExecsPerSecond,
    IReadOnlyList<ChainCountResponse> Chains, IReadOnlyList<ChildCountResponse> TopChildren, string? NewestRun)
{
    public static ProgramRateResponse From(ProgramRate p) =>
        new(p.Label, p.Program.Exe, p.Program.ArgvTemplate, p.Runs, p.Children, [.. p.ChildrenPerRun.Select(r => r.ChildExecs)], p.DroppedRuns,
            p.Growth.Verdict.ToString(), Math.Round(p.Growth.Exponent, 3), p.Growth.Shape, Math.Round(p.Growth.Trend, 2), p.Growth.JudgedRuns, p.Growth.NewestLeftOut,
            p.FirstRun, p.LastRun, p.Range.From, p.Range.To, p.Execs, p.PerSecond,
            [.. p.Chains.Select(c => new ChainCountResponse(c.Chain, c.Runs))], [.. p.TopChildren.Select(c => new ChildCountResponse(c.Exe, c.Count))],
            p.ChildrenPerRun.Count > 0 ? p.ChildrenPerRun[^1].Parent.ToString() : null);
}

/// <summary>A parent's rate; <c>chain</c> labels it by its ancestors (nearest first) as <c>exe(pid)</c>.</summary>
public sealed record ParentRateResponse(
    string Parent, int Pid, string Exe, IReadOnlyList<string> Argv, IReadOnlyList<string> Chain, int WindowSeconds, long Execs, double ExecsPerSecond,
    DateTimeOffset LastExec, IReadOnlyList<ChildCountResponse> TopChildren, string? Growth)
{
    public static ParentRateResponse From(ParentRate r, InvocationSeries? invocations) =>
        new(r.Parent.ToString(), r.Parent.Pid, r.Exe, r.Argv, [.. r.Chain.Select(a => $"{a.Exe}({a.Pid})")], (int)r.Window.TotalSeconds, r.Count, r.PerSecond,
            r.LastExec, [.. r.TopChildren.Select(c => new ChildCountResponse(c.Exe, c.Count))], invocations?.Growth.Verdict.ToString());
}

/// <summary>
/// One storm per program, however many of its processes take part: its rate over the storm
/// window, the chains its runs came from, what it spawns, and its newest run (<c>parent</c>).
/// </summary>
public sealed record ProgramStormResponse(
    string Program, string Exe, string ArgvTemplate, double PerSecond, int WindowSeconds, long Runs,
    IReadOnlyList<ChainCountResponse> Chains, IReadOnlyList<ChildCountResponse> TopChildren, string? Parent)
{
    public static ProgramStormResponse From(ProgramRate p) =>
        new(p.Label, p.Program.Exe, p.Program.ArgvTemplate, p.PerSecond, (int)p.Range.Length.TotalSeconds, p.Runs,
            [.. p.Chains.Select(c => new ChainCountResponse(c.Chain, c.Runs))], [.. p.TopChildren.Select(c => new ChildCountResponse(c.Exe, c.Count))],
            p.ChildrenPerRun.Count > 0 ? p.ChildrenPerRun[^1].Parent.ToString() : null);
}
