using ExecDashboard.Web;
using Microsoft.Extensions.Options;

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
catch (ExecDashboard.Web.Storage.StoreUnavailableException ex)
{
    await Console.Error.WriteLineAsync($"execdashboard: {ex.Message}");
    return 4;
}
catch (IOException ex) when (ex.Message.Contains("Failed to bind", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"execdashboard: cannot listen: {ex.Message} Choose another port with --port.");
    return 3;
}
