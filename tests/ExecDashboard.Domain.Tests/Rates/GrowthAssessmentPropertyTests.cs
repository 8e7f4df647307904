using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Domain.Tests.Rates;

/// <summary>
/// The growth test over generated series: a seeded generator loop per property (each seed is a
/// case; a failure names its seed, so it reproduces), covering the shapes the verdict must tell apart.
/// </summary>
public sealed class GrowthAssessmentPropertyTests
{
    private const int Cases = 300;

    [Fact]
    public void Linear_children_per_run_with_noise_and_a_cut_short_last_run_is_growing_and_quadratic()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(200, 1600);
            var step = 1 + (random.NextDouble() * 30);
            var series = Enumerable.Range(1, runs).Select(n => Noisy(random, step * n, 0.2)).ToList();
            if (random.Next(2) == 0)
            {
                series[^1] = (long)(series[^1] * random.NextDouble() * 0.5);
            }

            var growth = GrowthAssessment.Of(series);
            return (growth.Verdict == GrowthVerdict.Growing && growth.Exponent is >= 1.8 and <= 2.2, $"{runs} runs of {step:0.#}·n: {Describe(growth)}");
        });
    }

    [Fact]
    public void Linear_growth_on_top_of_a_base_is_growing()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(50, 800);
            var step = 1 + (random.NextDouble() * 20);
            var baseline = random.NextDouble() * 10 * step;
            var growth = GrowthAssessment.Of([.. Enumerable.Range(1, runs).Select(n => Noisy(random, baseline + (step * n), 0.2))]);
            return (growth.Verdict == GrowthVerdict.Growing && growth.Exponent >= GrowthAssessment.MinimumGrowthExponent, $"{runs} runs of {baseline:0}+{step:0.#}·n: {Describe(growth)}");
        });
    }

    [Fact]
    public void Quadratic_children_per_run_is_growing_and_cubic()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(100, 600);
            var growth = GrowthAssessment.Of([.. Enumerable.Range(1, runs).Select(n => Noisy(random, (double)n * n, 0.2))]);
            return (growth.Verdict == GrowthVerdict.Growing && growth.Shape == "cubic", $"{runs} runs of n²: {Describe(growth)}");
        });
    }

    [Fact]
    public void Constant_children_per_run_with_noise_is_not_growing()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(3, 1200);
            var level = random.Next(1, 5000);
            var growth = GrowthAssessment.Of([.. Enumerable.Range(1, runs).Select(_ => Noisy(random, level, 0.2))]);
            return (growth.Verdict != GrowthVerdict.Growing, $"{runs} runs of {level} ± 20 %: {Describe(growth)}");
        });
    }

    [Fact]
    public void A_saw_tooth_is_not_growing()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(40, 1200);
            var period = random.Next(2, Math.Max(3, runs / 4));
            var low = random.Next(0, 100);
            var high = low + random.Next(1, 2000);
            var growth = GrowthAssessment.Of([.. Enumerable.Range(0, runs).Select(i => low + ((high - low) * (i % period) / period))]);
            return (growth.Verdict != GrowthVerdict.Growing, $"{runs} runs, saw-tooth {low}..{high} every {period}: {Describe(growth)}");
        });
    }

    [Fact]
    public void A_one_off_spike_is_not_growing()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(8, 1200);
            var level = random.Next(1, 1000);
            var series = Enumerable.Range(0, runs).Select(_ => Noisy(random, level, 0.2)).ToList();
            var at = random.Next(runs);
            series[at] = level * random.Next(10, 1000);
            var growth = GrowthAssessment.Of(series);
            return (growth.Verdict != GrowthVerdict.Growing, $"{runs} runs of {level} with a spike at {at}: {Describe(growth)}");
        });
    }

    [Fact]
    public void The_verdict_does_not_depend_on_the_unit_of_work()
    {
        ForEachSeed(random =>
        {
            var runs = random.Next(3, 400);
            long[] series = [.. Enumerable.Range(0, runs).Select(_ => (long)random.Next(0, 1000))];
            var scale = random.Next(2, 50);
            var a = GrowthAssessment.Of(series);
            var b = GrowthAssessment.Of([.. series.Select(c => c * scale)]);
            return (a.Verdict == b.Verdict && Math.Abs(a.Exponent - b.Exponent) < 1e-9, $"×{scale}: {Describe(a)} vs {Describe(b)}");
        });
    }

    private static void ForEachSeed(Func<Random, (bool Holds, string Case)> property)
    {
        for (var seed = 1; seed <= Cases; seed++)
        {
            var (holds, description) = property(new Random(seed));
            Assert.True(holds, $"Seed {seed}: {description}");
        }
    }

    private static long Noisy(Random random, double value, double noise) =>
        Math.Max(0, (long)Math.Round(value * (1 + (noise * ((2 * random.NextDouble()) - 1)))));

    private static string Describe(GrowthAssessment g) =>
        FormattableString.Invariant($"{g.Verdict}, k={g.Exponent:0.###}, z={g.Trend:0.##}, judged {g.JudgedRuns}");
}
