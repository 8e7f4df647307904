using System.Globalization;
using ExecDashboard.Domain;
using ExecDashboard.Domain.Trees;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// A run of consecutive execs of one parent running one program, shown as one row in the feed:
/// <c>expr ×1,553 [N + 1]</c>. Newest member first, as the feed lists them.
/// </summary>
public sealed record FeedFold(IReadOnlyList<StoredExec> Members, IReadOnlyList<string> Template)
{
    /// <summary>Stable while the fold grows at its newest end: the id of its oldest member.</summary>
    public long Key => Members[^1].Id;

    public StoredExec Newest => Members[0];

    public StoredExec Oldest => Members[^1];

    /// <summary><c>expr ×1,553 [N + 1]</c>: the program's file name, the count and the argument template after argv[0].</summary>
    public string Label
    {
        get
        {
            var exe = Newest.Event.Exec.Exe;
            var name = exe.Length == 0 ? "?" : Path.GetFileName(exe);
            var count = CountText.Of(Members.Count);
            return Template.Count > 1 ? $"{name} ×{count} [{string.Join(' ', Template.Skip(1))}]" : $"{name} ×{count}";
        }
    }
}

/// <summary>One line of the folded feed: a fold, one exec, or an exec shown inside an expanded fold.</summary>
public sealed record FeedItem(StoredExec? Exec, FeedFold? Fold, bool InFold)
{
    public string Key => Fold is { } fold
        ? string.Create(CultureInfo.InvariantCulture, $"f{fold.Key}")
        : string.Create(CultureInfo.InvariantCulture, $"e{Exec!.Id}");
}

/// <summary>
/// Folds the feed during a storm: consecutive execs (in the order shown) of the same parent and
/// the same program, with the same number of arguments, become one <see cref="FeedFold"/> once
/// there are at least <see cref="MinimumRun"/> of them. Filters apply before folding, so they work
/// as without it.
/// </summary>
public static class FeedFolding
{
    public const int MinimumRun = 3;

    /// <summary>The feed's items, newest first; folds whose <see cref="FeedFold.Key"/> is in <paramref name="expanded"/> list their members after them.</summary>
    public static List<FeedItem> Fold(IReadOnlyList<StoredExec> rows, IReadOnlySet<long> expanded)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(expanded);
        var items = new List<FeedItem>(rows.Count);
        var start = 0;
        while (start < rows.Count)
        {
            var end = start + 1;
            while (end < rows.Count && SameRun(rows[start], rows[end]))
            {
                end++;
            }

            if (end - start >= MinimumRun)
            {
                var members = new StoredExec[end - start];
                for (var i = start; i < end; i++)
                {
                    members[i - start] = rows[i];
                }

                var fold = new FeedFold(members, ArgumentTemplate.Of([.. members.Select(m => m.Event.Exec.Argv)]));
                items.Add(new FeedItem(null, fold, InFold: false));
                if (expanded.Contains(fold.Key))
                {
                    items.AddRange(members.Select(m => new FeedItem(m, null, InFold: true)));
                }
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    items.Add(new FeedItem(rows[i], null, InFold: false));
                }
            }

            start = end;
        }

        return items;
    }

    /// <summary>Every exec a row of its own, as with folding switched off.</summary>
    public static List<FeedItem> Unfolded(IReadOnlyList<StoredExec> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.Select(r => new FeedItem(r, null, InFold: false))];
    }

    private static bool SameRun(StoredExec a, StoredExec b)
    {
        var x = a.Event;
        var y = b.Event;
        return x.Parent == y.Parent
            && x.Exec.Success == y.Exec.Success
            && x.Exec.Argv.Count == y.Exec.Argv.Count
            && string.Equals(x.Exec.Exe, y.Exec.Exe, StringComparison.Ordinal);
    }
}
