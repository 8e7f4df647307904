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

        var second = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(Moment);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, gate.Running);

        first.Dispose();
        using var turn = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, gate.Running);
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

        var next = gate.EnterAsync(CancellationToken.None);
        first.Dispose();
        using var turn = await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, gate.Running);
    }

    [Fact]
    public async Task A_turn_ended_twice_lets_only_one_export_in()
    {
        using var gate = new ExportGate();
        var first = await gate.EnterAsync(CancellationToken.None);
        first.Dispose();
        first.Dispose();

        using var second = await gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(Moment);
        Assert.False(third.IsCompleted);
        second.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal(0, gate.Running);
    }
}
