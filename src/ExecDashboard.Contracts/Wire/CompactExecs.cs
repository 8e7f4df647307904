namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// Format 2 of a batch's execs on the collector hub and in a collector's spool: what repeats is
/// written once per batch and referred to by position. Format 1, still read, is an array of
/// <see cref="ExecEventMessage"/> maps keyed by member name, each with its whole ancestry.
/// <code>
/// { "format": 2,
///   "texts":     [text, ...],
///   "ancestors": [[key, pid, exe, [argv, ...], provenance], ...],
///   "execs":     [[timeUnixMicros, serial, host, pid, ppid, uid, auid, comm, exe, [argv, ...],
///                  argvBytes, argvTruncated, cwd, success, exit, syscall, arch, process, parent,
///                  [ancestor, ...]], ...] }
/// </code>
/// Host, comm, exe, argv, cwd, syscall, arch, parent and an ancestor's key, exe and argv are
/// positions in <c>texts</c>; an exec's ancestors are positions in <c>ancestors</c>; the process
/// key is written out (it is the one text an exec never shares); a missing parent and missing
/// argument bytes are nil. The members come in this order, so one pass reads them. A reader
/// takes more elements than these in an exec or ancestor and skips the rest (room for later
/// fields); it refuses fewer.
/// </summary>
/// <remarks>
/// Measured on deploy/bench-store.sh's 300,000-exec replay, format 1 was about 560 bytes per
/// exec (member names and every exec's ancestors written out, the dashboard spending most of its
/// decoding comparing and skipping them), format 2 about 80; the dashboard's CPU for the replay
/// fell from 4.2-5.0 s to 3.1-3.6 s, the collector's by about 0.2 s (alternating runs). A dashboard that only reads
/// format 1 fails to bind a batch in format 2 (a map where it expects an array) and does not
/// acknowledge it, so the collector keeps it spooled: nothing is stored wrong or lost.
/// </remarks>
public static class CompactExecs
{
    public const int Format = 2;

    public const string FormatKey = "format";

    public const string TextsKey = "texts";

    public const string AncestorsKey = "ancestors";

    public const string ExecsKey = "execs";

    /// <summary>Elements of an exec in this format.</summary>
    public const int ExecFields = 20;

    /// <summary>Elements of an ancestor in this format.</summary>
    public const int AncestorFields = 5;
}
