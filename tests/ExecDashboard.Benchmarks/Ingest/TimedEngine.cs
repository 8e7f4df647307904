using System.Reflection;
using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Benchmarks.Ingest;

/// <summary>A store engine with the thread CPU of its batch writes (the row writer and SQLite) counted.</summary>
[SupportedOSPlatform("linux")]
public class TimedEngine : DispatchProxy
{
    private IStoreEngine? _target;

    public long Nanoseconds { get; set; }

    public static (IStoreEngine Engine, TimedEngine Timed) Wrap(IStoreEngine target)
    {
        var engine = Create<IStoreEngine, TimedEngine>();
        var timed = (TimedEngine)(object)engine;
        timed._target = target;
        return (engine, timed);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var start = ThreadCpu.Nanoseconds();
        try
        {
            return targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        finally
        {
            if (targetMethod.Name == nameof(IStoreEngine.StoreCollectorBatch))
            {
                Nanoseconds += ThreadCpu.Nanoseconds() - start;
            }
        }
    }
}
