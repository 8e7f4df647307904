namespace ExecDashboard.Domain.Processes;

/// <summary>A program image a process ran, and how we learned of it. Shared, never mutated.</summary>
internal sealed class ProcessImage(string exe, IReadOnlyList<string> argv, Provenance provenance)
{
    public static readonly ProcessImage Unknown = new(string.Empty, [], Provenance.Inferred);

    public string Exe { get; } = exe;

    public IReadOnlyList<string> Argv { get; } = argv;

    public Provenance Provenance { get; } = provenance;
}
