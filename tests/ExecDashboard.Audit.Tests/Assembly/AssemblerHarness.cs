using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Audit.Tests.Assembly;

/// <summary>An assembler fed from inline lines, collecting what it completes.</summary>
internal sealed class AssemblerHarness
{
    private readonly AuditRecordParser _parser = new();

    public AssemblerHarness(EventAssemblerOptions? options = null)
    {
        Assembler = new EventAssembler(options ?? new EventAssemblerOptions(), Time, Completed.Add);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public EventAssembler Assembler { get; }

    public List<AuditEvent> Completed { get; } = [];

    public AssemblerHarness Add(params string[] lines)
    {
        foreach (var line in lines)
        {
            var result = _parser.Parse(Records.Line(line));
            Assert.True(result.Succeeded, result.Reason);
            Assembler.Add(result.Record!);
        }

        return this;
    }
}
