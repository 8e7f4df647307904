using System.Globalization;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Components.Model;

/// <summary>Addresses of the pages that show one process, built from its key.</summary>
public static class ProcessLinks
{
    /// <summary><c>process/boot/pid/start</c>, each part escaped: a replayed log's boot name is free text.</summary>
    public static string Process(ProcessKey key) =>
        $"process/{Uri.EscapeDataString(key.Boot)}/{key.Pid}/{key.StartTicks}";

    /// <summary>The process in a stored session (<c>?session=ID</c>), or in the live stream when null.</summary>
    public static string Process(ProcessKey key, long? sessionId) =>
        sessionId is { } id ? $"{Process(key)}?{SessionLinks.Parameter}={id.ToString(CultureInfo.InvariantCulture)}" : Process(key);

    /// <summary>The live feed filtered to the process and everything below it.</summary>
    public static string FeedUnder(ProcessKey key) => $"?under={Uri.EscapeDataString(key.ToString())}";

    /// <summary>The feed of a stored session (or live, when null) filtered to the process and everything below it.</summary>
    public static string FeedUnder(ProcessKey key, long? sessionId) =>
        sessionId is { } id ? $"{FeedUnder(key)}&{SessionLinks.Parameter}={id.ToString(CultureInfo.InvariantCulture)}" : FeedUnder(key);
}
