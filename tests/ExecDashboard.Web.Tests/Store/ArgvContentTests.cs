using System.Collections.ObjectModel;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>Argument lists are one cache entry, so one row id, exactly when their JSON texts are equal (<see cref="ArgvContent"/>).</summary>
public sealed class ArgvContentTests
{
    public static TheoryData<string[], string[]> Different => new()
    {
        { ["expr", "1553", "+", "1"], ["expr", "1554", "+", "1"] },
        { ["expr", "1553", "+"], ["expr", "1553", "+", "1"] },
        { ["a b"], ["a", "b"] },
        { ["ab", "c"], ["a", "bc"] },
        { [""], [] },
    };

    [Theory]
    [InlineData]
    [InlineData("expr", "1553", "+", "1")]
    [InlineData("", "ÿ", "\u0000")]
    public void Equal_lists_of_any_kind_are_equal_and_hash_alike(params string[] argv)
    {
        IReadOnlyList<string>[] kinds = [argv, [.. argv], new List<string>(argv), new ReadOnlyCollection<string>([.. argv])];
        foreach (var a in kinds)
        {
            foreach (var b in kinds)
            {
                Assert.True(ArgvContent.Comparer.Equals(a, b));
                Assert.Equal(ArgvContent.Comparer.GetHashCode(a), ArgvContent.Comparer.GetHashCode(b));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Different))]
    public void Lists_whose_JSON_differs_are_not_equal(string[] x, string[] y)
    {
        Assert.NotEqual(ArgvJson.Write(x), ArgvJson.Write(y));
        Assert.False(ArgvContent.Comparer.Equals(x, y));
        Assert.False(ArgvContent.Comparer.Equals(new List<string>(x), new ReadOnlyCollection<string>(y)));
    }
}
