using ExecDashboard.Web.Authentication;

namespace ExecDashboard.Web.Tests;

public sealed class CollectorTokenListTests
{
    private const string A = "3f9c2a7e51b04d6e8a1c9f0b2d4e6a8c";
    private const string B = "b7e1d3c5a9f20486e1c3a5b7d9f1e2c4";
    private static readonly AccessToken Browser = new("0123456789abcdef0123456789abcdef", "test");

    [Fact]
    public void Reads_name_space_token_and_name_colon_token_lines_and_skips_comments()
    {
        var list = Parse("# fleet", "", $"web-1 {A}", $"  db.group@dc2:{B}  ");

        Assert.Empty(list.Problems);
        Assert.Equal(["web-1", "db.group@dc2"], list.Tokens.Select(t => t.Name));
        Assert.True(list.Tokens[1].Token.Matches(B));
    }

    [Theory]
    [InlineData("web-1 hunter2", "line 1: the token of 'web-1' is too weak")]
    [InlineData("lonely", "line 1: expected 'name token' or 'name:token'.")]
    [InlineData("web/1 " + A, "line 1: the name 'web/1' must be 1 to 64 letters")]
    [InlineData("web-1 0123456789abcdef0123456789abcdef", "line 1: the token of 'web-1' is the browser token")]
    public void Leaves_out_a_bad_line_and_says_which_and_why(string line, string expected)
    {
        var list = Parse(line, $"db-1 {B}");

        Assert.Contains(expected, Assert.Single(list.Problems), StringComparison.Ordinal);
        Assert.Equal(["db-1"], list.Tokens.Select(t => t.Name));
    }

    [Fact]
    public void Refuses_a_name_or_a_token_given_twice()
    {
        var list = Parse($"web-1 {A}", $"web-1 {B}", $"web-2 {A}");

        Assert.Equal(2, list.Problems.Count);
        Assert.Equal(["web-1"], list.Tokens.Select(t => t.Name));
    }

    private static CollectorTokenList Parse(params string[] lines) => CollectorTokenList.Parse("tokens", lines, Browser);
}
