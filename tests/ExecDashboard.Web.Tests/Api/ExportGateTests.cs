using ExecDashboard.Web.Api;

namespace ExecDashboard.Web.Tests.Api;

public sealed class ExportGateTests
{
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_second_export_waits_until_the_first_is_done()
    {
        using var gate = new ExportGate();
        var first = await gate.EnterAsync(CancellationToken.None);

        await AssertWaitsForAsync(gate, first, gate.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_waiting_export_whose_request_went_away_takes_no_turn()
    {
        using var gate = new ExportGate();
        var first = await gate.EnterAsync(CancellationToken.None);
        using var gone = new CancellationTokenSource();

        var abandoned = gate.EnterAsync(gone.Token);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        await AssertWaitsForAsync(gate, first, gate.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_turn_ended_twice_lets_only_one_export_in()
    {
        using var gate = new ExportGate();
        var first = await gate.EnterAsync(CancellationToken.None);
        first.Dispose();
        first.Dispose();

        var second = await gate.EnterAsync(CancellationToken.None);
        await AssertWaitsForAsync(gate, second, gate.EnterAsync(CancellationToken.None));
        Assert.Equal(0, gate.Running);
    }

    /// <summary>The waiting export gets in once the running one is done, not before.</summary>
    private static async Task AssertWaitsForAsync(ExportGate gate, IDisposable running, Task<IDisposable> waiting)
    {
        await Task.Delay(Moment);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, gate.Running);

        running.Dispose();
        using var turn = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, gate.Running);
    }
}
