namespace ExecDashboard.Collector.Hosting;

/// <summary>How the run ended: the exit status and, on failure, the one sentence the user sees.</summary>
internal sealed class CollectorOutcome
{
    public const int Success = 0;
    public const int SourceFailed = 1;
    public const int UsageError = 2;

    public int ExitCode { get; private set; } = Success;

    public string? Message { get; private set; }

    public void Fail(string message, int exitCode = SourceFailed)
    {
        // The first failure is the cause; later ones are usually its consequences.
        if (Message is not null)
        {
            return;
        }

        Message = message;
        ExitCode = exitCode;
    }
}
