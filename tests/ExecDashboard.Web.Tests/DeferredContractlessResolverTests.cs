using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Web.Tests.Support;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

public sealed class DeferredContractlessResolverTests
{
    [Fact]
    public void Hands_out_the_contractless_resolvers_formatters()
    {
        Assert.Same(
            ContractlessStandardResolver.Instance.GetFormatter<ProcessExitMessage>(),
            DeferredContractlessResolver.Instance.GetFormatter<ProcessExitMessage>());
        Assert.Same(
            ContractlessStandardResolver.Instance.GetFormatter<IReadOnlyList<ExecEventMessage>>(),
            DeferredContractlessResolver.Instance.GetFormatter<IReadOnlyList<ExecEventMessage>>());
    }

    [Fact]
    public void Encodes_process_ends_as_the_dashboards_contractless_resolver_reads_them()
    {
        var exec = TestEvents.Expr(1);
        var end = ProcessExitMessage.From(new ProcessEnd
        {
            Process = exec.Process,
            Started = exec.Exec.Time,
            Time = exec.Exec.Time.AddSeconds(2),
            Status = ExitStatus.Killed(9, coreDumped: false),
        });
        var deferred = new MessagePackSerializerOptions(DeferredContractlessResolver.Instance);

        var bytes = MessagePackSerializer.Serialize(new[] { end }, deferred);

        Assert.Equal(MessagePackSerializer.Serialize(new[] { end }, ContractlessStandardResolver.Options), bytes);
    }
}
