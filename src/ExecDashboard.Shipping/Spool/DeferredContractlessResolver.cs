using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// MessagePack's contractless resolver, reached only when a formatter is first asked of it.
/// </summary>
/// <remarks>
/// Merely touching <see cref="ContractlessStandardResolver.Instance"/> (or
/// <see cref="MessagePackSerializerOptions.Standard"/>) runs the static constructors of the
/// dynamic resolvers behind it: a regular expression compiled to IL, dynamic assemblies,
/// cryptography for the union resolver. The collector never asks it for a formatter (its batches
/// and their ends are written by hand, see <see cref="PendingBatch"/>, <c>BatchInvocationWriter</c>
/// and <c>ProcessExitsWire</c>); only decoding the events of an earlier collector's spool does,
/// which the collector itself never needs (it sends them as their bytes), and which a natively
/// compiled collector could not do. Measured on a 1-exec replay into a dashboard: that
/// initialization was about a tenth of a second of wall time on the way to the hub connection.
/// </remarks>
internal sealed class DeferredContractlessResolver : IFormatterResolver
{
    public static readonly DeferredContractlessResolver Instance = new();

    private DeferredContractlessResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => ContractlessStandardResolver.Instance.GetFormatter<T>();
}
