using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using Microsoft.Extensions.Time.Testing;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

/// <summary>
/// Program aggregation over generated workloads (a seeded generator loop; a failure names its seed):
/// several programs, each run many times with random children, runs of different programs
/// interleaved in time, sometimes more runs than a program keeps.
/// </summary>
public sealed class ProgramTrackerPropertyTests
{
    private const int Cases = 60;

    [Fact]
    public void Every_program_accounts_for_every_run_and_child_in_start_order()
    {
        for (var seed = 1; seed <= Cases; seed++)
        {
            var random = new Random(seed);
            var maxRuns = random.Next(2, 40);
            var workload = Workload.Generate(random, programs: random.Next(1, 6), maxRunsPerProgram: 60, maxChildren: 30);
            var tracker = new ProgramTracker(new FakeTimeProvider(T0), new ProgramTrackerOptions { MaxRunsPerProgram = maxRuns });
            foreach (var exec in workload.Events)
            {
                tracker.Record(exec);
            }

            var all = new TimeRange(T0, workload.End);
            var rates = tracker.TopPrograms(all, 100);

            // init is a program too: one run, whose children are every run's exec.
            var init = Assert.Single(rates, r => r.Program.Exe == "/usr/lib/systemd/systemd");
            Assert.True(init.Runs == 1 && init.Children == workload.Runs.Sum(r => r.Value.Count), $"Seed {seed}: init has {init.Runs} runs and {init.Children} children.");
            Assert.True(rates.Count == workload.Runs.Count + 1, $"Seed {seed}: {rates.Count} programs reported, {workload.Runs.Count} generated and init.");
            foreach (var (program, runs) in workload.Runs)
            {
                var rate = Assert.Single(rates, r => r.Program.Exe == program);
                var kept = runs.Skip(Math.Max(0, runs.Count - maxRuns)).ToArray();
                Assert.True(rate.Runs == runs.Count, $"Seed {seed}, {program}: {rate.Runs} runs, {runs.Count} generated.");
                Assert.True(rate.Children == runs.Sum(), $"Seed {seed}, {program}: {rate.Children} children, {runs.Sum()} generated.");
                Assert.True(rate.Execs == runs.Sum(), $"Seed {seed}, {program}: {rate.Execs} execs in the whole range, {runs.Sum()} generated.");
                Assert.True(rate.ChildrenPerRun.Select(r => (long)r.ChildExecs).SequenceEqual(kept.Select(c => (long)c)), $"Seed {seed}, {program}: children per run differ from the newest {maxRuns} generated.");
                Assert.True(rate.DroppedRuns == runs.Count - kept.Length, $"Seed {seed}, {program}: {rate.DroppedRuns} dropped.");
            }

            // Busiest first.
            Assert.True(rates.Zip(rates.Skip(1)).All(p => p.First.Execs >= p.Second.Execs), $"Seed {seed}: programs are not busiest first.");
        }
    }

    /// <summary>Programs <c>/bin/pK</c>, each run a process exec'ing it under init, then its children; runs interleaved at random.</summary>
    private sealed class Workload
    {
        public List<ExecEvent> Events { get; } = [];

        public Dictionary<string, List<int>> Runs { get; } = [];

        public DateTimeOffset End { get; private set; } = T0;

        public static Workload Generate(Random random, int programs, int maxRunsPerProgram, int maxChildren)
        {
            var workload = new Workload();
            var init = Ancestor(Key(1, 1), "/usr/lib/systemd/systemd", "/sbin/init");
            var pending = Enumerable.Range(0, programs).ToDictionary(p => $"/bin/p{p}", _ => random.Next(1, maxRunsPerProgram));
            var time = T0;
            var pid = 100;
            while (pending.Count > 0)
            {
                var program = pending.Keys.ElementAt(random.Next(pending.Count));
                if (--pending[program] == 0)
                {
                    pending.Remove(program);
                }

                // A run exec's its program, then makes its children; the first run of a program is known only from its first child.
                var run = Ancestor(Key(pid++), program, Path.GetFileName(program), random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
                workload.Events.Add(Exec(run.Key, [init], time, program, [.. run.Argv]));
                var children = random.Next(workload.Runs.ContainsKey(program) ? 0 : 1, maxChildren);
                for (var i = 0; i < children; i++)
                {
                    time = time.AddMilliseconds(random.Next(1, 50));
                    workload.Events.Add(Exec(Key(pid++), [run, init], time, "/usr/bin/expr", ["expr", "1"]));
                }

                (workload.Runs.TryGetValue(program, out var list) ? list : workload.Runs[program] = []).Add(children);
                time = time.AddMilliseconds(random.Next(1, 200));
            }

            workload.End = time;
            return workload;
        }
    }
}
