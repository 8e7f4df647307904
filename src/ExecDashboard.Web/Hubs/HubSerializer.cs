using ExecDashboard.Contracts;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// The MessagePack options of the hubs: the contractless resolver the collectors write with, and
/// <see cref="ExecEventMessageReader"/> for the execs of a batch, which reads the same bytes.
/// </summary>
internal static class HubSerializer
{
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(
            [new ExecEventMessageReader(ContractlessStandardResolver.Instance.GetFormatterWithVerify<ExecEventMessage?>())],
            [ContractlessStandardResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
