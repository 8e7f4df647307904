using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The loop for real: a bash script named <c>sendmail</c> counts its queue the accidentally
/// quadratic way, one <c>n=$(expr $n + 1)</c> per queued file, and a caller script runs it as
/// <c>bash DIR/sendmail -t</c> once per queue. The real collector (already running) sees the execs
/// on the real kernel and pushes them; done once the dashboard has stored every <c>expr</c> and run.
/// </summary>
internal sealed class KernelSendmailLoop(CollectorProcess collector) : ISendmailLoopProducer
{
    public const string CallerName = "mail-caller";

    public string? Directory { get; private set; }

    /// <summary>The PID of the caller script's bash, to find it in a feed of the whole machine.</summary>
    public int CallerPid { get; private set; }

    public async Task<SendmailLoopRun> RunAsync(DashboardProcess dashboard, IReadOnlyList<int> queueSizes, CancellationToken cancellationToken)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("execdash-e2e-sendmail-").FullName;
        Directory = dir;
        var sendmail = Path.Combine(dir, "sendmail");
        await File.WriteAllTextAsync(sendmail, """
            #!/bin/bash
            # Counts the queue one expr at a time, as the motivating sendmail wrapper did.
            n=0
            for item in "$QUEUE"/*; do
              n=$(expr $n + 1)
            done
            echo "$n queued"
            """, cancellationToken);

        var caller = new StringBuilder("#!/bin/bash\nset -e\n");
        for (var i = 0; i < queueSizes.Count; i++)
        {
            var queue = System.IO.Directory.CreateDirectory(Path.Combine(dir, $"queue-{i.ToString(CultureInfo.InvariantCulture)}")).FullName;
            for (var item = 0; item < queueSizes[i]; item++)
            {
                await File.WriteAllTextAsync(Path.Combine(queue, $"msg-{item.ToString("D4", CultureInfo.InvariantCulture)}"), "queued", cancellationToken);
            }

            caller.Append(CultureInfo.InvariantCulture, $"QUEUE={queue} bash {sendmail} -t\n");
        }

        var callerPath = Path.Combine(dir, CallerName);
        await File.WriteAllTextAsync(callerPath, caller.ToString(), cancellationToken);

        using (var run = Process.Start(new ProcessStartInfo("/bin/bash") { ArgumentList = { callerPath }, UseShellExecute = false, RedirectStandardOutput = true }) ?? throw new InvalidOperationException("bash did not start."))
        {
            CallerPid = run.Id;
            var output = await run.StandardOutput.ReadToEndAsync(cancellationToken);
            await run.WaitForExitAsync(cancellationToken);
            Assert.True(run.ExitCode == 0, $"{CallerName} failed with {run.ExitCode.ToString(CultureInfo.InvariantCulture)}: {output}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        using var api = dashboard.ApiClient();
        var expected = queueSizes.Sum();
        try
        {
            while (await CountAsync(api, "exe=expr", timeout.Token) < expected || await CountAsync(api, $"argv={Uri.EscapeDataString(sendmail)}", timeout.Token) < queueSizes.Count)
            {
                Assert.False(collector.HasExited, $"The collector exited: {collector.Stderr}");
                await Task.Delay(250, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The dashboard did not store the loop's {expected} expr execs within 90 s; collector log:\n{collector.Stderr}");
        }

        // Every exec on the machine is in a real feed, so the total is whatever was stored by now.
        return new SendmailLoopRun(CallerName, expected + queueSizes.Count + 1);
    }

    public void Delete()
    {
        if (Directory is not null)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    internal static async Task<int> CountAsync(HttpClient api, string query, CancellationToken cancellationToken)
    {
        using var events = await JsonDocument.ParseAsync(await api.GetStreamAsync(new Uri($"api/events?{query}&limit=10000", UriKind.Relative), cancellationToken), cancellationToken: cancellationToken);
        return events.RootElement.GetArrayLength();
    }
}
