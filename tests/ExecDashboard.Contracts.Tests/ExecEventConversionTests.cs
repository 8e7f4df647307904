using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts.Tests;

public sealed class ExecEventConversionTests
{
    private const string Boot = "sendmail-story-2026-11-24.audit.log";

    [Fact]
    public void Keys_of_a_batch_share_one_boot_string_and_siblings_one_ancestry()
    {
        var shell = Ancestor($"{Boot}/100/5", 100);
        var init = Ancestor($"{Boot}/1/1", 1);
        var conversion = new ExecEventConversion();

        var first = Message(200, [shell, init]).ToDomain(conversion);
        var second = Message(201, [shell, init]).ToDomain(conversion);

        Assert.Same(first.Process.Boot, second.Process.Boot);
        Assert.Same(first.Process.Boot, first.Parent.Boot);
        Assert.Same(first.Process.Boot, second.Ancestry[1].Key.Boot);
        Assert.Same(first.Ancestry, second.Ancestry);
        Assert.Equal(new ProcessKey(Boot, 201, 7), second.Process);
        Assert.Equal(new ProcessKey(Boot, 100, 5), second.Parent);
    }

    [Fact]
    public void A_key_of_another_boot_keeps_its_own_and_a_later_batch_shares_the_earlier_one()
    {
        var earlier = new ExecEventConversion();
        var known = Message(200, [Ancestor($"{Boot}/100/5", 100)]).ToDomain(earlier);
        var later = new ExecEventConversion(earlier.Boot);

        var same = Message(202, [Ancestor($"{Boot}/100/5", 100)]).ToDomain(later);
        var other = Message(203, [Ancestor("0f3c2a1b/100/5", 100)], parent: "0f3c2a1b/100/5").ToDomain(later);

        Assert.Same(known.Process.Boot, same.Process.Boot);
        Assert.Equal("0f3c2a1b", other.Parent.Boot);
        Assert.Equal("0f3c2a1b", other.Ancestry[0].Key.Boot);
        Assert.Equal(Boot, other.Process.Boot);
        Assert.NotEqual(same.Ancestry[0].Key, other.Ancestry[0].Key);
    }

    [Theory]
    [InlineData("b00tc0de/4242/123456789")]
    [InlineData("b00tc0de/0042/000")]
    [InlineData("sendmail-story.log/4194304/9223372036854775807")]
    [InlineData("b00tc0de/2147483648/1")]
    [InlineData("b00tc0de/99999999999/1")]
    [InlineData("b00tc0de/1/99999999999999999999")]
    [InlineData("b00tc0de/+5/1")]
    [InlineData("b00tc0de/5/+1")]
    [InlineData("b00tc0de/5/-1")]
    [InlineData("b00tc0de/ 5/1")]
    [InlineData("b00tc0de/5/")]
    [InlineData("b00tc0de//1")]
    [InlineData("/5/1")]
    [InlineData("5/1")]
    [InlineData("a/b/c/5/1")]
    [InlineData("bööt/5/1")]
    [InlineData("b00tc0de/٣/1")]
    public void A_key_read_from_its_bytes_is_the_key_read_from_its_text_or_refused_in_the_same_words(string text)
    {
        var fromText = Parse(() => new ExecEventConversion().Key(text, "process"));
        var fromBytes = Parse(() => new ExecEventConversion().Key(System.Text.Encoding.UTF8.GetBytes(text), "process"));

        Assert.Equal(fromText, fromBytes);
    }

    [Fact]
    public void Keys_read_from_bytes_share_the_boot_of_the_keys_before_them()
    {
        var conversion = new ExecEventConversion();
        var first = conversion.Key(System.Text.Encoding.UTF8.GetBytes($"{Boot}/200/7"), "process");
        var parent = conversion.Key($"{Boot}/100/5", "parent");
        var second = conversion.Key(System.Text.Encoding.UTF8.GetBytes($"{Boot}/201/7"), "process");
        var other = conversion.Key(System.Text.Encoding.UTF8.GetBytes("0f3c2a1b/201/7"), "process");

        Assert.Same(first.Boot, parent.Boot);
        Assert.Same(first.Boot, second.Boot);
        Assert.Equal(new ProcessKey("0f3c2a1b", 201, 7), other);
    }

    private static string Parse(Func<ProcessKey> parse)
    {
        try
        {
            var key = parse();
            return $"{key.Boot}|{key.Pid}|{key.StartTicks}";
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    private static AncestorMessage Ancestor(string key, int pid) =>
        new() { Key = key, Pid = pid, Exe = "/usr/bin/bash", Argv = ["bash"], Provenance = Provenance.ExecSeen };

    private static ExecEventMessage Message(int pid, AncestorMessage[] ancestry, string? parent = null) => new()
    {
        Time = new IsoTime(1_764_000_000_000_000 + pid),
        Serial = (ulong)pid,
        Host = "mail",
        Pid = pid,
        Ppid = 100,
        Uid = 0,
        Auid = uint.MaxValue,
        Comm = "expr",
        Exe = "/usr/bin/expr",
        Argv = ["expr", "1", "+", "1"],
        Cwd = "/",
        Success = true,
        Exit = 0,
        Syscall = "execve",
        Arch = "x86_64",
        Process = string.Concat(Boot.AsSpan(), $"/{pid}/7"),
        Parent = parent ?? $"{Boot}/100/5",
        Ancestry = ancestry,
    };
}
