using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using Microsoft.Extensions.Time.Testing;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

/// <summary>
/// The batch overloads of <see cref="ProgramTracker.Record(IReadOnlyList{ExecEvent})"/> and
/// <see cref="ExecRateWindow.Record(IReadOnlyList{ExecEvent})"/> skip look-ups the exec before
/// made; over generated workloads (a seeded generator loop; a failure names its seed) that
/// evict programs, runs and parents, fail execs, name parents without an ancestry and exec
/// programs from their children, they must answer exactly as a tracker and a window fed one
/// exec at a time.
/// </summary>
public sealed class BatchRecordingPropertyTests
{
    private const int Cases = 60;

    private static readonly string[] Programs = ["/bin/p0", "/bin/p1", "/bin/p2", "/bin/p3", "/bin/p4"];

    [Fact]
    public void A_program_tracker_fed_whole_batches_answers_as_one_fed_exec_by_exec()
    {
        for (var seed = 1; seed <= Cases; seed++)
        {
            var random = new Random(seed);
            var (events, end) = Generate(random);
            var options = new ProgramTrackerOptions { MaxPrograms = random.Next(1, 7), MaxRunsPerProgram = random.Next(2, 20) };
            var one = new ProgramTracker(new FakeTimeProvider(T0), options);
            var batched = new ProgramTracker(new FakeTimeProvider(T0), options);
            foreach (var e in events)
            {
                one.Record(e);
            }

            foreach (var batch in Batches(events, random))
            {
                batched.Record(batch);
            }

            Assert.True(Answers(one, events, end) == Answers(batched, events, end), $"Seed {seed}: the batched tracker answers otherwise.");
        }
    }

    [Fact]
    public void A_rate_window_fed_whole_batches_answers_as_one_fed_exec_by_exec()
    {
        for (var seed = 1; seed <= Cases; seed++)
        {
            var random = new Random(seed);
            var (events, _) = Generate(random);
            var options = new ExecRateOptions { MaxTrackedParents = random.Next(1, 6) };
            var one = new ExecRateWindow(new FakeTimeProvider(T0), options);
            var batched = new ExecRateWindow(new FakeTimeProvider(T0), options);
            foreach (var e in events)
            {
                one.Record(e);
            }

            foreach (var batch in Batches(events, random))
            {
                batched.Record(batch);
            }

            Assert.True(Answers(one, events) == Answers(batched, events), $"Seed {seed}: the batched window answers otherwise.");
        }
    }

    private static string Answers(ProgramTracker tracker, List<ExecEvent> events, DateTimeOffset end) =>
        JsonSerializer.Serialize(new
        {
            Top = tracker.TopPrograms(new TimeRange(T0, end), 100),
            Series = events.Select(e => e.Parent).Distinct().Select(p => (tracker.ProgramOf(p), tracker.SeriesOf(p))).ToArray(),
            tracker.Recorded,
        });

    private static string Answers(ExecRateWindow window, List<ExecEvent> events) =>
        JsonSerializer.Serialize(new
        {
            Top = window.TopParents(TimeSpan.FromMinutes(1), 100),
            Counts = events.Select(e => e.Parent).Distinct().Select(p => window.CountOf(p, TimeSpan.FromMinutes(1))).ToArray(),
            window.LateExecs,
            window.EvictedParents,
            window.TrackedParents,
        });

    /// <summary>Runs of the programs under init, each with children; some children exec a program, fail or come without their ancestry.</summary>
    private static (List<ExecEvent> Events, DateTimeOffset End) Generate(Random random)
    {
        var init = Ancestor(Key(1, 1), "/usr/lib/systemd/systemd", "/sbin/init");
        var events = new List<ExecEvent>();
        var time = T0;
        var pid = 100;
        for (var r = random.Next(5, 40); r > 0; r--)
        {
            var program = Programs[random.Next(Programs.Length)];
            var run = Ancestor(Key(pid++), program, Path.GetFileName(program), random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture));
            events.Add(Maybe(random, Exec(run.Key, [init], time, program, [.. run.Argv])));
            for (var i = random.Next(0, 25); i > 0; i--)
            {
                time = time.AddMilliseconds(random.Next(1, 400));
                var exe = random.Next(8) == 0 ? Programs[random.Next(Programs.Length)] : "/usr/bin/expr";
                var child = Exec(Key(pid++), [run, init], time, exe, [Path.GetFileName(exe), "1"]);
                events.Add(Maybe(random, random.Next(20) == 0 ? child with { Ancestry = [] } : child));
            }

            time = time.AddMilliseconds(random.Next(1, 3000));
        }

        return (events, time);
    }

    private static ExecEvent Maybe(Random random, ExecEvent e) =>
        random.Next(15) == 0 ? e with { Exec = e.Exec with { Success = false } } : e;

    private static IEnumerable<ExecEvent[]> Batches(List<ExecEvent> events, Random random)
    {
        for (var at = 0; at < events.Count;)
        {
            var count = Math.Min(random.Next(1, 60), events.Count - at);
            yield return [.. events.GetRange(at, count)];
            at += count;
        }
    }
}
