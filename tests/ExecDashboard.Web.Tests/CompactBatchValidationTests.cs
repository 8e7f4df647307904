using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Hubs;
using ExecDashboard.Web.Ingest;
using MessagePack;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Tests;

/// <summary>A batch read from format 2 straight into events is refused exactly as the same batch in format 1.</summary>
public sealed class CompactBatchValidationTests
{
    private static readonly ProcessKey NoKey = new(string.Empty, 5, 1);

    public static TheoryData<string> BrokenEvents => new(
    [
        "negative pid", "NUL in exe", "unknown syscall", "megabyte comm", "argvBytes that do not decode to argv",
        "process key with no boot", "parent key with no boot", "ancestor key with no boot", "unknown provenance",
        "ancestor argument with NUL", "unknown syscall and a key that is none",
    ]);

    [Theory]
    [MemberData(nameof(BrokenEvents))]
    public void Refuses_a_broken_event_in_the_words_format_1_gets(string broken)
    {
        var events = Batch(broken);
        var validator = new BatchValidator(Options.Create(new DashboardOptions()));

        var format1 = Assert.Throws<BatchRejectedException>(() => validator.Validate(Envelope([.. events.Select(e => e.ToMessage())])));
        var format2 = Assert.Throws<BatchRejectedException>(() => validator.Validate(Envelope(Read(events))));

        Assert.Equal(format1.Message, format2.Message);
        Assert.StartsWith("Batch 3, event ", format2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_batch_gives_the_events_format_1_gives_sharing_their_ancestors()
    {
        var events = Batch("none");
        var validator = new BatchValidator(Options.Create(new DashboardOptions()));

        var format1 = validator.Validate(Envelope([.. events.Select(e => e.ToMessage())]));
        var format2 = validator.Validate(Envelope(Read(events)));

        Assert.Equal(format1.Select(e => e.ToMessage()).Select(Json), format2.Select(e => e.ToMessage()).Select(Json));
        Assert.Same(format2[0].Ancestry, format2[1].Ancestry);
    }

    private static ExecEvent[] Batch(string broken)
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash", "-c", "make");
        var valid = ExecBuilder.Of("/usr/bin/make", "make", "all").Under(shell, init);
        var e = valid.Pid(202);
        var bad = broken switch
        {
            "none" => e,
            "negative pid" => valid.Pid(-5),
            "NUL in exe" => e.With(x => x with { Exe = "/usr/bin/ma\0ke" }),
            "unknown syscall" => e.Syscall("fork"),
            "megabyte comm" => e.Comm(new string('c', 1_000_000)),
            "argvBytes that do not decode to argv" => e.With(x => x with { Argv = ["a", "b"], ArgvBytes = [[0x61], [0x63]] }),
            "process key with no boot" => e.Key(NoKey),
            "parent key with no boot" => e.Parent(NoKey),
            "ancestor key with no boot" => e.Under(Ancestors.Of(NoKey, "/bin/sh"), init),
            "unknown provenance" => e.Under(Ancestors.Of(ExecBuilder.DefaultKey(150), "/bin/sh", (Provenance)9), init),
            "ancestor argument with NUL" => e.Under(Ancestors.Of(ExecBuilder.DefaultKey(150), "/bin/sh", "sh\0"), init),
            "unknown syscall and a key that is none" => e.Syscall("fork").Key(new ProcessKey(string.Empty, 202, 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };

        // The broken event sits between valid ones, and a later one has another problem: the
        // first is the one named.
        ExecEvent[] events = [valid.Pid(200).Build(), valid.Pid(201).Build(), bad.Build(), valid.Pid(203).Build()];
        return broken == "none" ? events : [.. events, valid.Key(NoKey).Build()];
    }

    private static DecodedExecs Read(ExecEvent[] events)
    {
        var writer = new CompactExecsWriter();
        foreach (var e in events)
        {
            writer.Add(e);
        }

        var buffer = new ArrayBufferWriter<byte>();
        writer.WriteHead(buffer);
        buffer.Write(writer.Execs.Span);
        return Assert.IsType<DecodedExecs>(MessagePackSerializer.Deserialize<IReadOnlyList<ExecEventMessage>>(buffer.WrittenMemory, HubSerializer.Options));
    }

    private static CollectorBatch Envelope(IReadOnlyList<ExecEventMessage> events) => new()
    {
        CollectorId = "compact",
        Host = "buildhost",
        BatchSeq = 3,
        Events = events,
        Status = new CollectorStatus(),
    };

    private static string Json(ExecEventMessage m) => System.Text.Json.JsonSerializer.Serialize(m, Contracts.Json.ContractJsonContext.Default.ExecEventMessage);
}
