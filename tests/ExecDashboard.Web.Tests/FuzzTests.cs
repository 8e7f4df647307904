using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// Thousands of random mutations of valid batches, session exports and audit logs: each is refused
/// or stored whole, the dashboard keeps serving, and every stored event renders afterwards. The
/// seed is fixed so a failure repeats; it is named in every assertion message.
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private const int Seed = 20261201;
    private const int Batches = 600;
    private const int Files = 1000;
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Mutated_batches_exports_and_logs_are_refused_or_stored_whole_and_everything_stored_renders()
    {
        var random = new Random(Seed);
        using var api = _server.Client();
        var stored = new List<ExecEvent>();
        long expectedTotal = 0;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string outcome) => outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            for (var i = 0; i < Batches; i++)
            {
                var events = Enumerable.Range(0, random.Next(1, 4)).Select(j => TestEvents.Expr(100_000 + (ulong)(i * 4 + j), DateTimeOffset.UtcNow)).ToArray();
                var messages = events.Select(e => e.ToMessage()).ToArray();
                var victim = random.Next(messages.Length);
                var mutation = random.Next(HubMutations.Count + 3);
                var mutated = mutation < HubMutations.Count;
                if (mutated)
                {
                    messages[victim] = HubMutations[mutation](messages[victim], random);
                }

                var batch = new CollectorBatch { CollectorId = "fuzz", Host = TestEvents.Host, BatchSeq = i + 1, Events = messages, Status = new CollectorStatus() };
                try
                {
                    var ack = await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch);
                    Assert.True(ack.Stored + ack.Duplicates == messages.Length, $"seed {Seed}, batch {i}: stored {ack.Stored} + {ack.Duplicates} of {messages.Length}.");
                    expectedTotal += ack.Stored;
                    Count(mutated ? "mutated batch stored" : "valid batch stored");
                    stored.AddRange(messages.Select(m => m.ToDomain()));
                }
                catch (HubException ex)
                {
                    Assert.True(mutated, $"seed {Seed}, batch {i}: a valid batch was refused: {ex.Message}");
                    Assert.Contains(CollectorHubContract.RejectionPrefix, ex.Message, StringComparison.Ordinal);
                    Count("batch refused");
                }
            }
        }

        Assert.Equal(expectedTotal, await DashboardApi.TotalEventsAsync(api));

        var export = await SessionFiles.ExportAsync([.. Enumerable.Range(0, 5).Select(i => TestEvents.Expr(900_000 + (ulong)i)), .. AdmittedShapes.All(910_000, DateTimeOffset.UtcNow).Take(8).Select(s => s.Event)]);
        var log = Encoding.UTF8.GetBytes(AuditLog(6));
        for (var i = 0; i < Files; i++)
        {
            var (body, kind) = (i % 2 == 0)
                ? (MutateExport(export, random), "export")
                : (MutateBytes(log, random), "audit log");
            using var response = await api.PostAsync("/api/sessions/import", new ByteArrayContent(body));
            var text = await response.Content.ReadAsStringAsync();
            switch (response.StatusCode)
            {
                case HttpStatusCode.Created:
                    var imported = JsonDocument.Parse(text).RootElement;
                    var id = imported.GetProperty("id").GetInt64();
                    var events = imported.GetProperty("events").GetInt64();
                    using (var exported = JsonDocument.Parse(await api.GetByteArrayAsync($"/api/sessions/{id}/export")))
                    {
                        Assert.True(exported.RootElement.GetProperty("events").GetArrayLength() == events, $"seed {Seed}, {kind} {i}: the session holds another count than the import reported.");
                    }

                    expectedTotal += events;
                    Count($"{kind} stored");
                    break;
                case HttpStatusCode.BadRequest:
                    Assert.Contains("Nothing was stored", text, StringComparison.Ordinal);
                    Count($"{kind} refused");
                    break;
                default:
                    Assert.Fail($"seed {Seed}, {kind} {i}: answered {(int)response.StatusCode}: {text}");
                    break;
            }
        }

        Assert.Equal(expectedTotal, await DashboardApi.TotalEventsAsync(api));

        // The mutations reach both outcomes on every way in, or the test proves nothing.
        foreach (var outcome in new[] { "valid batch stored", "batch refused", "export stored", "export refused", "audit log stored", "audit log refused" })
        {
            Assert.True(outcomes.GetValueOrDefault(outcome) > 0, $"seed {Seed}: no '{outcome}' among {string.Join(", ", outcomes)}.");
        }

        Console.WriteLine($"Fuzz outcomes (seed {Seed}): {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");
        using var health = await api.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Every stored event, whichever way it came, renders: the live ones checked page by page,
        // the imported ones through the same views of each imported process.
        var importedEvents = new List<ExecEvent>();
        foreach (var session in await DashboardApi.SessionsAsync(api))
        {
            if (session.GetProperty("origin").GetString() == "import")
            {
                var events = await api.GetFromJsonAsync<JsonElement[]>($"/api/events?session={session.GetProperty("id").GetInt64()}&limit=10000");
                importedEvents.AddRange(events!.Select(e => e.GetProperty("event").Deserialize(ContractJsonContext.Default.ExecEventMessage)!.ToDomain()));
            }
        }

        var distinct = stored.Concat(importedEvents).DistinctBy(e => e.Process).ToArray();
        await EveryShapeRendersTests.AssertEverythingRendersAsync(_server, distinct);
    }

    private static readonly string[] NastyStrings =
        [string.Empty, "\0", "a\0b", new string('x', 70_000), new string('y', 300_000), "<script>", "\u202e", "/", "//", "a/b/c", "x/1/-5", "b/-1/1", "b/99999999/1", "\u0001\u001b"];

    private static readonly long[] NastyNumbers = [long.MinValue, int.MinValue, -1, 0, 1, int.MaxValue, long.MaxValue, 4 * 1024 * 1024 + 1];

    private static string Nasty(Random r) => NastyStrings[r.Next(NastyStrings.Length)];

    private static long Number(Random r) => NastyNumbers[r.Next(NastyNumbers.Length)];

    private static readonly IReadOnlyList<Func<ExecEventMessage, Random, ExecEventMessage>> HubMutations =
    [
        (m, r) => EventMessages.With(m, comm: r.Next(2) == 0 ? null! : Nasty(r)),
        (m, r) => EventMessages.With(m, exe: Nasty(r)),
        (m, r) => EventMessages.With(m, host: Nasty(r)),
        (m, r) => EventMessages.With(m, process: Nasty(r)),
        (m, r) => EventMessages.With(m, syscall: Nasty(r)),
        (m, r) => EventMessages.With(m, pid: (int)Math.Clamp(Number(r), int.MinValue, int.MaxValue)),
        (m, r) => EventMessages.With(m, timeUnixMicros: Number(r)),
        (m, r) => EventMessages.With(m, argv: [.. m.Argv.Take(1), null!]),
        (m, r) => EventMessages.With(m, argv: [.. m.Argv, Nasty(r)]),
        (m, r) => EventMessages.With(m, argv: [.. Enumerable.Repeat("a", 70_000)]),
        (m, r) => EventMessages.With(m, argvBytes: [.. Enumerable.Range(0, r.Next(0, 6)).Select(_ => RandomBytes(r))]),
        (m, r) => EventMessages.With(m, argvBytes: [.. m.Argv.Select(_ => (byte[])null!)]),
        (m, r) => EventMessages.With(m, ancestry: [.. m.Ancestry, null!]),
        (m, r) => EventMessages.With(m, ancestry: [new AncestorMessage { Key = Nasty(r), Pid = (int)Math.Clamp(Number(r), int.MinValue, int.MaxValue), Exe = Nasty(r), Argv = [Nasty(r)], Provenance = (Provenance)r.Next(-1, 5) }]),
        (m, r) => EventMessages.With(m, ancestry: [.. Enumerable.Range(0, 5000).Select(i => new AncestorMessage { Key = $"b/{i + 1}/1", Pid = i + 1, Exe = "/bin/sh", Argv = [], Provenance = Provenance.ExecSeen })]),
    ];

    private static byte[] RandomBytes(Random r)
    {
        var bytes = new byte[r.Next(0, 8)];
        r.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Replaces one random leaf of the export (or one of its arrays' elements) with a hostile value.</summary>
    private static byte[] MutateExport(byte[] export, Random r)
    {
        if (r.Next(4) == 0)
        {
            return MutateBytes(export, r);
        }

        var root = JsonNode.Parse(export)!;
        var leaves = new List<(JsonNode Parent, object Key)>();
        Collect(root, leaves);
        var (parent, key) = leaves[r.Next(leaves.Count)];
        JsonNode? replacement = r.Next(7) switch
        {
            0 => null,
            1 => JsonValue.Create(Nasty(r)),
            2 => JsonValue.Create(Number(r)),
            3 => new JsonArray(),
            4 => new JsonObject(),
            5 => JsonValue.Create(true),
            _ => JsonValue.Create(-1.5),
        };
        if (key is string name)
        {
            parent.AsObject()[name] = replacement;
        }
        else
        {
            parent.AsArray()[(int)key] = replacement;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> leaves)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToArray())
                {
                    leaves.Add((o, name));
                    if (child is not null)
                    {
                        Collect(child, leaves);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    leaves.Add((a, i));
                    if (a[i] is { } child)
                    {
                        Collect(child, leaves);
                    }
                }

                break;
        }
    }

    /// <summary>Flips, deletes, duplicates or inserts a few bytes.</summary>
    private static byte[] MutateBytes(byte[] input, Random r)
    {
        var bytes = new List<byte>(input);
        for (var n = r.Next(1, 4); n > 0 && bytes.Count > 2; n--)
        {
            var at = r.Next(bytes.Count);
            switch (r.Next(5))
            {
                case 0:
                    bytes[at] = (byte)r.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(r.Next(1, 64), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(r.Next(1, 64), bytes.Count - at)));
                    break;
                case 3:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(r.Next(3) switch { 0 => "\n", 1 => " a9=\"x\" argc=3 ", _ => "\0" }));
                    break;
                default:
                    bytes[at] = (byte)"\n\"= :()"[r.Next(7)];
                    break;
            }
        }

        return [.. bytes];
    }

    private static string AuditLog(int execs)
    {
        var log = new StringBuilder();
        for (var i = 0; i < execs; i++)
        {
            var serial = 700 + i;
            log.Append($"type=SYSCALL msg=audit(1700000001.{serial}:{serial}): arch=c000003e syscall=59 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=1 ppid={300 + i} pid={400 + i} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=1 comm=\"expr\" exe=\"/usr/bin/expr\" key=\"execdash\"\n");
            log.Append($"type=EXECVE msg=audit(1700000001.{serial}:{serial}): argc=4 a0=\"expr\" a1=\"{i}\" a2=\"+\" a3=\"1\"\n");
            log.Append($"type=CWD msg=audit(1700000001.{serial}:{serial}): cwd=\"/tmp\"\n");
            log.Append($"type=PROCTITLE msg=audit(1700000001.{serial}:{serial}): proctitle=65787072\n");
        }

        return log.ToString();
    }
}
