using System.Text;
using ExecDashboard.Web.Storage;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>A prepared statement skips binding a number its parameter already holds (<see cref="RawStatement"/>).</summary>
public sealed class RawStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public RawStatementTests() => _connection.Open();

    [Fact]
    public void A_number_bound_again_after_a_text_at_the_same_parameter_is_bound()
    {
        using var s = new RawStatement(_connection, "SELECT ?1, typeof(?1), ?2;");
        Assert.Equal(("5", "integer"), Row(s, 5, 7));

        // The same number stays bound across the reset; a text in its place replaces it...
        s.Bind(1, "text");
        Assert.True(s.Step());
        Assert.Equal("text", Encoding.UTF8.GetString(s.Utf8(0)));
        s.Reset();

        // ...so the number bound again afterwards must reach SQLite, not be taken as still there.
        Assert.Equal(("5", "integer"), Row(s, 5, 7));
        s.Bind(1, null);
        Assert.True(s.Step());
        Assert.True(s.IsNull(0));
        s.Reset();
        Assert.Equal(("5", "integer"), Row(s, 5, 8));
        Assert.Equal(("6", "integer"), Row(s, 6, 8));
    }

    [Fact]
    public void A_parameter_out_of_range_is_refused_by_SQLite()
    {
        using var s = new RawStatement(_connection, "SELECT ?1;");
        Assert.Throws<SqliteException>(() => s.Bind(2, 1));
        Assert.Throws<SqliteException>(() => s.Bind(0, 1));
    }

    public void Dispose() => _connection.Dispose();

    private static (string Value, string Type) Row(RawStatement s, long first, long second)
    {
        s.Bind(1, first);
        s.Bind(2, second);
        Assert.True(s.Step());
        var row = (s.Int64(0).ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(s.Utf8(1)));
        Assert.Equal(second, s.Int64(2));
        s.Reset();
        return row;
    }
}
