using System.Globalization;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using MessagePack;
using static ExecDashboard.Contracts.Tests.CompactExecsRoundTrip;

namespace ExecDashboard.Contracts.Tests;

/// <summary>
/// The writer recognises a text, key or ancestor the last exec named by reference before looking
/// it up by value: whichever way an entry is found, the batch must be the same bytes, each text
/// written once, in the order first named.
/// </summary>
public sealed class CompactExecsSharedInstancesTests
{
    [Fact]
    public void Texts_under_other_instances_give_the_same_bytes_as_shared_instances()
    {
        var storm = Storm();

        var shared = Write(storm);
        var copied = Write(Copies(storm));

        Assert.Equal(shared, copied);
        Assert.Equal(Format1(storm), Messages(Read(shared)));
    }

    [Fact]
    public void A_text_that_comes_back_under_another_instance_keeps_its_first_position()
    {
        var expr = ExecBuilder.Of("/usr/bin/expr", "expr", "1", "+", "1");
        var events = new[]
        {
            expr.Build(),
            expr.Comm("other").Argv("other", "1").Build(),
            expr.Comm(Copy("expr")).Argv(Copy("expr"), Copy("1"), "+", Copy("1")).Build(),
        };

        var encoded = Write(events);

        Assert.Equal(Format1(events), Messages(Read(encoded)));
        Assert.Equal(Write(Copies(events)), encoded);
        Assert.Equal(Distinct(events), TextCount(encoded));
    }

    [Fact]
    public void One_instance_in_several_fields_is_one_text()
    {
        var x = Copy("x");
        var events = new[]
        {
            ExecBuilder.Of(x, x, x).Comm(x).Cwd(x).Host(x).Build(),
            ExecBuilder.Of("/bin/y", "y", x).Comm("y").Cwd("/").Syscall(x, x).Build(),
            ExecBuilder.Of(x, x, x).Comm(x).Cwd(x).Host(x).Build(),
        };

        var encoded = Write(events);

        Assert.Equal(Format1(events), Messages(Read(encoded)));
        Assert.Equal(Write(Copies(events)), encoded);
        Assert.Equal(Distinct(events), TextCount(encoded));
    }

    [Fact]
    public void Nothing_remembered_from_a_batch_names_a_position_in_the_next()
    {
        var storm = Storm();
        var writer = new CompactExecsWriter();
        foreach (var e in storm.Reverse())
        {
            writer.Add(e);
        }

        writer.Clear();
        foreach (var e in storm)
        {
            writer.Add(e);
        }

        Assert.Equal(Write(storm), Encoded(writer));
    }

    [Fact]
    public void Chains_of_the_same_ancestors_at_other_depths_name_each_ancestor_once()
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash");
        var make = Ancestors.Of(ExecBuilder.DefaultKey(200), "/usr/bin/make", "make");
        var deep = Enumerable.Range(300, 24).Select(pid => Ancestors.Of(ExecBuilder.DefaultKey(pid), "/bin/sh", "sh")).ToArray();
        var cc = ExecBuilder.Of("/usr/bin/cc", "cc");
        var events = new[]
        {
            cc.Pid(1000).Under(shell, init).Build(),
            cc.Pid(1001).Under(make, shell, init).Build(),
            cc.Pid(1002).Under(shell, init).Build(),
            cc.Pid(1003).Under([.. deep, make, shell, init]).Build(),
            cc.Pid(1004).Under([.. deep.Skip(1), make, shell, init]).Build(),
            cc.Pid(1005).Under([.. deep, make, shell, init]).Build(),
        };

        var encoded = Write(events);

        Assert.Equal(Format1(events), Messages(Read(encoded)));
        Assert.Equal(deep.Length + 3, AncestorCount(encoded));
    }

    [Fact]
    public void A_parent_key_under_another_boot_instance_is_the_same_key()
    {
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash");
        var sameKey = new ProcessKey(Copy(ExecBuilder.DefaultBoot), 100, 1000);
        var events = new[]
        {
            ExecBuilder.Of("/usr/bin/id", "id").Pid(200).Under(shell).Build(),
            ExecBuilder.Of("/usr/bin/id", "id").Pid(201).Under(shell).Parent(sameKey).Build(),
            ExecBuilder.Of("/usr/bin/id", "id").Pid(202).Under(shell).Parent(new ProcessKey(ExecBuilder.DefaultBoot, 100, 1001)).Build(),
        };

        var encoded = Write(events);

        Assert.Equal(Format1(events), Messages(Read(encoded)));
        Assert.Equal(Write(Copies(events)), encoded);
    }

    [Fact]
    public void A_null_text_ancestor_or_boot_is_refused_as_before_even_in_a_field_not_yet_filled()
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var true_ = ExecBuilder.Of("/usr/bin/true", "true").Under(init);

        Assert.Throws<ArgumentNullException>(() => new CompactExecsWriter().Add(true_.Host(null!).Build()));
        Assert.Throws<ArgumentNullException>(() => new CompactExecsWriter().Add(true_.Argv("true", null!).Build()));
        Assert.Throws<ArgumentNullException>(() => new CompactExecsWriter().Add(true_.Under(null!, init).Parent(init.Key).Ppid(1).Build()));
        Assert.Throws<NullReferenceException>(() => new CompactExecsWriter().Add(true_.Key(new ProcessKey(null!, 5, 1)).Build()));
    }

    /// <summary>Siblings under one chain, as the lineage stage hands them on: shared texts and ancestors, one new argument each.</summary>
    private static ExecEvent[] Storm()
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var sudo = Ancestors.Of(ExecBuilder.DefaultKey(90), "/usr/bin/sudo", "sudo", "systemctl", "status");
        var sendmail = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "/bin/bash", "/usr/sbin/sendmail", "-t");
        var expr = ExecBuilder.Of("/usr/bin/expr", "expr", "1", "+", "1").Cwd("/var/spool/mqueue");
        return
        [
            ExecBuilder.Of("/usr/bin/systemctl", "systemctl", "status").Pid(95).Under(sudo, init).Build(),
            .. Enumerable.Range(1, 40).Select(i => expr
                .Argv("expr", (i % 25).ToString(CultureInfo.InvariantCulture), "+", "1")
                .Pid(200 + i)
                .Under(sendmail, sudo, init)
                .Build()),
            ExecBuilder.Of("/usr/bin/bash", "/bin/bash", "/usr/sbin/sendmail", "-t").Pid(300).Under(sudo, init).Build(),
        ];
    }

    private static string Copy(string text) => new(text.AsSpan());

    /// <summary>The same events with every text a new instance; an ancestor shared before is shared after.</summary>
    private static ExecEvent[] Copies(IEnumerable<ExecEvent> events)
    {
        var ancestors = new Dictionary<Ancestor, Ancestor>(ReferenceEqualityComparer.Instance);
        Ancestor AncestorCopy(Ancestor a) => ancestors.TryGetValue(a, out var copy)
            ? copy
            : ancestors[a] = a with { Key = KeyCopy(a.Key), Exe = Copy(a.Exe), Argv = [.. a.Argv.Select(Copy)] };
        return [.. events.Select(e => e with
        {
            Exec = e.Exec with
            {
                Host = Copy(e.Exec.Host),
                Comm = Copy(e.Exec.Comm),
                Exe = Copy(e.Exec.Exe),
                Argv = [.. e.Exec.Argv.Select(Copy)],
                Cwd = Copy(e.Exec.Cwd),
                Syscall = Copy(e.Exec.Syscall),
                Arch = Copy(e.Exec.Arch),
            },
            Process = KeyCopy(e.Process),
            Parent = KeyCopy(e.Parent),
            Ancestry = [.. e.Ancestry.Select(AncestorCopy)],
        })];
    }

    private static ProcessKey KeyCopy(ProcessKey key) => key with { Boot = Copy(key.Boot) };

    /// <summary>Distinct texts and parent keys of execs without ancestors.</summary>
    private static int Distinct(IEnumerable<ExecEvent> events) => events
        .SelectMany(e => new[] { e.Exec.Host, e.Exec.Comm, e.Exec.Exe, e.Exec.Cwd, e.Exec.Syscall, e.Exec.Arch }.Concat(e.Exec.Argv))
        .Distinct(StringComparer.Ordinal)
        .Count() + events.Select(e => e.Parent).Where(k => !k.IsNone).Distinct().Count();

    private static int TextCount(byte[] encoded) => TableLength(encoded, CompactExecs.TextsKey);

    private static int AncestorCount(byte[] encoded) => TableLength(encoded, CompactExecs.AncestorsKey);

    private static int TableLength(byte[] encoded, string table)
    {
        var reader = new MessagePackReader(encoded);
        var members = reader.ReadMapHeader();
        for (var i = 0; i < members; i++)
        {
            if (reader.ReadString() == table)
            {
                return reader.ReadArrayHeader();
            }

            reader.Skip();
        }

        throw new InvalidOperationException($"No \"{table}\" in the batch.");
    }
}
