using System.Collections.Concurrent;
using System.Reflection;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>A real store engine behind a proxy that counts the calls of each of its methods, to tell what a view asked the database.</summary>
public class CountingStoreEngine : DispatchProxy
{
    private IStoreEngine? _target;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public static (IStoreEngine Engine, CountingStoreEngine Counts) Wrap(IStoreEngine target)
    {
        var engine = Create<IStoreEngine, CountingStoreEngine>();
        var counts = (CountingStoreEngine)(object)engine;
        counts._target = target;
        return (engine, counts);
    }

    public int CallsOf(string method) => Calls.GetValueOrDefault(method);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
