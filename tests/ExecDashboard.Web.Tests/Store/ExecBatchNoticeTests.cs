using ExecDashboard.Web.Storage.Postgres;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The NOTIFY payload of a committed batch: small, and read back whatever the replica is called.</summary>
public sealed class ExecBatchNoticeTests
{
    [Fact]
    public void A_notice_reads_back_as_written_even_when_the_replica_name_has_spaces()
    {
        var notice = new ExecBatchNotice("dash 1.example:5151", 12, 100_001, 100_512, 1_764_590_000_000_000, 1_764_590_000_900_000, 512);

        var payload = notice.Format();

        Assert.Equal(notice, ExecBatchNotice.TryParse(payload));
        Assert.True(payload.Length < 8000, "A NOTIFY payload must stay under PostgreSQL's 8000 bytes.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("512 12 100001 100512")]
    [InlineData("x 12 100001 100512 1 2 replica")]
    public void A_payload_that_is_not_a_notice_is_ignored(string payload) => Assert.Null(ExecBatchNotice.TryParse(payload));
}
