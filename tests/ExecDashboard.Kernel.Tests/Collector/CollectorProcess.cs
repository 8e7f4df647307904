using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>
/// The real collector (<c>execdash-collector.dll</c> from this test's build output) running as a
/// child process. Every stdout line is parsed as a JSON exec event or process end (or, for
/// <c>--output text</c>, kept as it is); stderr is kept for messages.
/// Stopped by signal and PID, as a user or systemd would stop it.
/// </summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly bool _keepEverything;
    private readonly bool _text;
    private readonly ConcurrentQueue<string> _textLines = new();
    private readonly ConcurrentQueue<CollectedExec> _events = new();
    private readonly ConcurrentQueue<CollectedExit> _exits = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private long _lines;

    private CollectorProcess(Process process, bool keepEverything, bool text)
    {
        _process = process;
        _keepEverything = keepEverything;
        _text = text;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    public int Pid => _process.Id;

    public IReadOnlyCollection<CollectedExec> Events => _events;

    /// <summary>Process ends (<c>"type": "exit"</c> lines) the collector printed.</summary>
    public IReadOnlyCollection<CollectedExit> Exits => _exits;

    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>With <see cref="StartText"/>: stdout's lines that name <c>execdash-</c> or report an exit, in order.</summary>
    public IReadOnlyList<string> TextLines => [.. _textLines];

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the collector; argv and ancestry are kept only for execs whose arguments name <c>execdash-</c>.</summary>
    public static CollectorProcess Start(params string[] arguments) => Start(keepEverything: false, arguments);

    /// <summary>Starts the collector and keeps argv and ancestry of every exec it reports.</summary>
    public static CollectorProcess StartKeepingEverything(params string[] arguments) => Start(keepEverything: true, arguments);

    /// <summary>Starts the collector with <c>--output text</c>; its lines are kept as text (<see cref="TextLines"/>), not parsed.</summary>
    public static CollectorProcess StartText(params string[] arguments) => Start(keepEverything: false, ["--output", "text", .. arguments], text: true);

    private static CollectorProcess Start(bool keepEverything, string[] arguments, bool text = false)
    {
        var collector = Path.Combine(AppContext.BaseDirectory, "execdash-collector.dll");
        Assert.True(File.Exists(collector), $"The collector was not built next to the tests: {collector}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(collector);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new CollectorProcess(Process.Start(start) ?? throw new InvalidOperationException("The collector did not start."), keepEverything, text);
    }

    /// <summary>
    /// Runs a uniquely marked <c>/usr/bin/true</c> until the collector reports it: proof that the
    /// collector's rules are installed and its events flow, without relying on log wording.
    /// </summary>
    public async Task WaitUntilCapturingAsync(TimeSpan timeout)
    {
        var canary = $"execdash-canary-{Guid.NewGuid():N}";
        var deadline = Stopwatch.StartNew();
        while (!(_text ? _textLines.Any(l => l.Contains(canary, StringComparison.Ordinal)) : _events.Any(e => e.HasArgument(canary))))
        {
            Assert.False(_process.HasExited, $"The collector exited with {(_process.HasExited ? _process.ExitCode : 0)} before it was ready: {Stderr}");
            Assert.True(deadline.Elapsed < timeout, $"The collector did not report a canary exec within {timeout}: {Stderr}");
            using (var canaryProcess = Process.Start("/usr/bin/true", canary))
            {
                await canaryProcess.WaitForExitAsync();
            }

            await Task.Delay(200);
        }
    }

    public async Task WaitForAsync(Func<IReadOnlyCollection<CollectedExec>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(_events))
        {
            Assert.False(_process.HasExited, $"The collector exited before {what}: {Stderr}");
            Assert.True(deadline.Elapsed < timeout, $"Timed out after {timeout} waiting for {what}; stderr: {Stderr}");
            await Task.Delay(100);
        }
    }

    /// <summary>With <see cref="StartText"/>: waits until <paramref name="condition"/> holds for the text lines so far.</summary>
    public async Task WaitForLinesAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(TextLines))
        {
            Assert.False(_process.HasExited, $"The collector exited before {what}: {Stderr}");
            Assert.True(deadline.Elapsed < timeout, $"Timed out after {timeout} waiting for {what}; stderr: {Stderr}");
            await Task.Delay(100);
        }
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>Sends <paramref name="signal"/> and waits for the collector to exit; returns its exit status.</summary>
    public async Task<int> StopAsync(int signal, TimeSpan timeout)
    {
        Signal(signal);
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        await Task.WhenAll(_stdoutPump, _stderrPump);
        return _process.ExitCode;
    }

    /// <summary>Waits for a collector that ends by itself (a file replay); returns its exit status.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        await Task.WhenAll(_stdoutPump, _stderrPump);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A failed test must not leave a collector (and its rules) behind: SIGTERM is the clean stop.
            _ = Kill(_process.Id, SigTerm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _ = Kill(_process.Id, SigKill);
            }
        }

        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            Interlocked.Increment(ref _lines);
            if (_text)
            {
                // The whole machine's execs and ends arrive; keep ours and every exit (ours are found by pid).
                if (line.Contains("execdash-", StringComparison.Ordinal) || line.StartsWith("exit(", StringComparison.Ordinal))
                {
                    _textLines.Enqueue(line);
                }

                continue;
            }

            // The whole machine's execs arrive; only the argv and ancestry of our own are worth keeping.
            using var json = JsonDocument.Parse(line);
            if (CollectedExit.IsExit(json.RootElement))
            {
                _exits.Enqueue(CollectedExit.From(json.RootElement));
                continue;
            }

            _events.Enqueue(CollectedExec.From(json.RootElement, headerOnly: !_keepEverything && !line.Contains("execdash-", StringComparison.Ordinal)));
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    // DllImport rather than LibraryImport: this project does not allow unsafe code, and kill(2) takes only integers.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
