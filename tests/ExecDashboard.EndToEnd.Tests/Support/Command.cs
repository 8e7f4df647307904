using System.Diagnostics;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>A program run to its end, its standard output and error read whole.</summary>
internal static class Command
{
    /// <summary>Runs <paramref name="program"/>; returns its exit code and its output (stdout, then stderr).</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }
}
