using ExecDashboard.Audit.Assembly;

namespace ExecDashboard.Audit.Tests.Assembly;

public sealed class SerialGapTests
{
    private static long GapsAfter(EventAssemblerOptions? options, params (uint Serial, string Time, string? Node)[] records)
    {
        var h = new AssemblerHarness(options);
        foreach (var (serial, time, node) in records)
        {
            h.Add(Records.Of("USER_CMD", serial, "pid=1", time, node));
        }

        h.Assembler.Flush();
        return h.Assembler.SerialGaps;
    }

    private static (uint, string, string?) R(uint serial, string time = "1700000000.000", string? node = null) => (serial, time, node);

    [Fact]
    public void Counts_missing_serials_as_lost_events()
    {
        Assert.Equal(9, GapsAfter(null, R(49), R(59), R(60)));
    }

    [Fact]
    public void Out_of_order_arrivals_within_the_window_are_not_gaps()
    {
        Assert.Equal(0, GapsAfter(null, R(10), R(13), R(11), R(12), R(14)));
    }

    [Fact]
    public void A_serial_arriving_after_the_window_moved_past_it_was_already_counted()
    {
        var options = new EventAssemblerOptions { SerialWindow = 4 };

        Assert.Equal(1, GapsAfter(options, R(10), R(12), R(13), R(14), R(15), R(16), R(11)));
    }

    [Fact]
    public void Serials_wrap_from_the_32_bit_maximum_to_zero_without_a_gap()
    {
        Assert.Equal(0, GapsAfter(null, R(4294967294), R(4294967295), R(0), R(1), R(2)));
    }

    [Fact]
    public void A_kernel_that_skips_serial_zero_at_the_wrap_loses_nothing()
    {
        Assert.Equal(0, GapsAfter(null, R(4294967295), R(1)));
    }

    [Fact]
    public void A_gap_across_the_wrap_is_counted()
    {
        Assert.Equal(3, GapsAfter(null, R(4294967294), R(3)));
    }

    [Fact]
    public void A_gap_wider_than_the_window_is_counted_in_full()
    {
        Assert.Equal(4999, GapsAfter(new EventAssemblerOptions { SerialWindow = 16 }, R(1000), R(6000)));
    }

    [Fact]
    public void Gaps_are_counted_per_node()
    {
        Assert.Equal(0, GapsAfter(null, R(1, node: "a"), R(100, node: "b"), R(2, node: "a"), R(101, node: "b")));
    }

    [Fact]
    public void A_restart_of_numbering_with_later_time_is_not_a_loss()
    {
        var h = new AssemblerHarness();
        h.Add(
            Records.Of("USER_CMD", 500000, "pid=1", "1700000000.000"),
            Records.Of("USER_CMD", 1, "pid=1", "1700000500.000"),
            Records.Of("USER_CMD", 2, "pid=1", "1700000500.001"));
        h.Assembler.Flush();

        Assert.Equal(0, h.Assembler.SerialGaps);
        Assert.Equal(1, h.Assembler.SerialRestarts);
    }
}
