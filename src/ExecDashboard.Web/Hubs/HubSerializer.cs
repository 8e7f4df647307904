using ExecDashboard.Contracts;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// The MessagePack options of the hubs: the contractless resolver the collectors write with,
/// <see cref="ExecEventListReader"/> for the execs of a batch, in either of their formats, and
/// <see cref="ProcessExitListReader"/> for its process ends.
/// </summary>
internal static class HubSerializer
{
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(
            [
                new ExecEventListReader(ContractlessStandardResolver.Instance.GetFormatterWithVerify<IReadOnlyList<ExecEventMessage>?>()),
                new ExecEventMessageReader(ContractlessStandardResolver.Instance.GetFormatterWithVerify<ExecEventMessage?>()),
                new ProcessExitListReader(),
            ],
            [ContractlessStandardResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
