using ExecDashboard.Web;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

// Before the host starts its threads (see NativeHeap).
NativeHeap.LimitArenas();
try
{
    var app = DashboardApp.Build(args);
    app.Run();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"execdashboard: invalid settings: {string.Join(" ", ex.Failures)}");
    return 2;
}
catch (StoreUnavailableException ex)
{
    await Console.Error.WriteLineAsync($"execdashboard: {ex.Message}");
    return 4;
}
catch (IOException ex) when (ex.Message.Contains("Failed to bind", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"execdashboard: cannot listen: {ex.Message} Choose another port with --port.");
    return 3;
}
