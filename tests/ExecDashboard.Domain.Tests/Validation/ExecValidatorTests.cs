using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Validation;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Validation;

public sealed class ExecValidatorTests
{
    private static readonly ExecEvent Valid = Exec(Key(2000), [Ancestor(Key(1000), "/usr/bin/bash", "bash"), Ancestor(Key(1), "/sbin/init")], T0, "/usr/bin/expr", ["expr", "1", "+", "1"]);

    public static TheoryData<string, string> Broken() => new()
    {
        { "null argument", "argv[1]" },
        { "argvBytes count", "argvBytes" },
        { "argvBytes null entry", "argvBytes[0]" },
        { "argvBytes not argv", "argvBytes[1]" },
        { "argument too long", "argv[1]" },
        { "too many arguments", "argv" },
        { "arguments too long together", "argv" },
        { "comm too long", "comm" },
        { "null comm", "comm" },
        { "exe too long", "exe" },
        { "NUL in cwd", "cwd" },
        { "unpaired surrogate", "argv[0]" },
        { "negative pid", "pid" },
        { "pid over the kernel limit", "pid" },
        { "negative ppid", "ppid" },
        { "process of another pid", "process" },
        { "no process", "process" },
        { "boot with control", "parent" },
        { "null boot", "process.boot" },
        { "boot too long", "ancestry[0].key.boot" },
        { "negative start", "ancestry[1].key.start" },
        { "null ancestor", "ancestry[1]" },
        { "unknown provenance", "ancestry[0].provenance" },
        { "too deep", "ancestry" },
        { "unknown syscall", "syscall" },
        { "arch with markup", "arch" },
        { "time before 1970", "time" },
    };

    [Fact]
    public void Admits_a_plain_exec() => ExecValidator.Validate(Valid);

    [Theory]
    [MemberData(nameof(Broken))]
    public void Refuses_naming_the_field(string how, string field)
    {
        var ex = Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(Break(how)));
        Assert.Equal(field, ex.Field);
        Assert.StartsWith($"'{field}' ", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 300, ex.Message);
    }

    [Fact]
    public void Refuses_a_bad_shared_ancestor_at_the_first_exec_of_the_batch_that_names_it()
    {
        var bad = Ancestor(Key(1000), "/usr/bin/bash", "bash") with { Provenance = (Provenance)9 };
        var first = Valid with { Ancestry = [bad] };
        var ex = Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(first, new HashSet<Ancestor>(ReferenceEqualityComparer.Instance)));
        Assert.Equal("ancestry[0].provenance", ex.Field);
    }

    [Fact]
    public void Checks_each_shared_ancestor_once_and_an_equal_copy_again()
    {
        var checkedAncestors = new HashSet<Ancestor>(ReferenceEqualityComparer.Instance);
        ExecValidator.Validate(Valid, checkedAncestors);
        Assert.Equal(2, checkedAncestors.Count);

        // Compared by reference: a copy is another object, checked (and refused when broken).
        var broken = Valid.Ancestry[0] with { Exe = "/bin/\0sh" };
        Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(Valid with { Ancestry = [broken] }, checkedAncestors));
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Refuses_after_a_valid_sibling_what_it_refuses_alone(string how, string field)
    {
        // The broken exec shares every other field's instance with the valid one before it:
        // those are not checked again, the broken one still is.
        var validated = new ValidatedExecs();
        ExecValidator.Validate(Valid, validated);
        ExecValidator.Validate(Valid with { Exec = Valid.Exec with { Serial = 2 } }, validated);

        var ex = Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(Break(how), validated));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Refuses_a_missing_text_in_the_first_exec_of_a_batch()
    {
        var ex = Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(Valid with { Exec = Valid.Exec with { Host = null! } }, new ValidatedExecs()));
        Assert.Equal("host", ex.Field);
    }

    [Fact]
    public void Checks_again_an_ancestry_list_that_changed_since_the_exec_before()
    {
        // The same list instance, its first link replaced: compared with what was checked, not with itself.
        Ancestor[] ancestry = [.. Valid.Ancestry];
        var validated = new ValidatedExecs();
        ExecValidator.Validate(Valid with { Ancestry = ancestry }, validated);
        ancestry[0] = ancestry[0] with { Exe = "/bin/\0sh" };

        var ex = Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(Valid with { Ancestry = ancestry }, validated));
        Assert.Equal("ancestry[0].exe", ex.Field);
    }

    [Fact]
    public void Refuses_a_session_process_whose_last_sighting_precedes_its_first()
    {
        var process = new SessionProcess { Key = Key(5), Pid = 5, Ppid = 1, Exe = "/bin/sh", Argv = ["sh"], Provenance = Provenance.ExecSeen, FirstSeen = T0, LastSeen = T0.AddSeconds(-1) };
        Assert.Equal("lastSeen", Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(process)).Field);
    }

    [Fact]
    public void Refuses_a_gap_with_a_negative_count()
    {
        var gap = new SessionGap { Kind = SessionGapKind.KernelLost, Time = T0, Count = -1, Host = "h" };
        Assert.Equal("count", Assert.Throws<ExecValidationException>(() => ExecValidator.Validate(gap)).Field);
    }

    private static ExecEvent Break(string how)
    {
        var x = Valid.Exec;
        return how switch
        {
            "null argument" => Valid with { Exec = x with { Argv = ["expr", null!] } },
            "argvBytes count" => Valid with { Exec = x with { ArgvBytes = [[1]] } },
            "argvBytes null entry" => Valid with { Exec = x with { ArgvBytes = [null!, [0x31], [0x2b], [0x31]] } },
            "argvBytes not argv" => Valid with { Exec = x with { ArgvBytes = ["expr"u8.ToArray(), [0x32], [0x2b], [0x31]] } },
            "argument too long" => Valid with { Exec = x with { Argv = ["expr", new string('a', ExecLimits.MaxArgumentBytes + 1)] } },
            "too many arguments" => Valid with { Exec = x with { Argv = [.. Enumerable.Repeat("a", ExecLimits.MaxArguments + 1)] } },
            "arguments too long together" => Valid with { Exec = x with { Argv = [.. Enumerable.Repeat(new string('a', ExecLimits.MaxArgumentBytes), (ExecLimits.MaxArgvBytes / ExecLimits.MaxArgumentBytes) + 1)] } },
            "comm too long" => Valid with { Exec = x with { Comm = new string('c', ExecLimits.MaxCommChars + 1) } },
            "null comm" => Valid with { Exec = x with { Comm = null! } },
            "exe too long" => Valid with { Exec = x with { Exe = "/" + new string('e', ExecLimits.MaxPathChars) } },
            "NUL in cwd" => Valid with { Exec = x with { Cwd = "/tmp\0" } },
            "unpaired surrogate" => Valid with { Exec = x with { Argv = ["ex\udc00pr"] } },
            "negative pid" => Valid with { Exec = x with { Pid = -1 } },
            "pid over the kernel limit" => Valid with { Exec = x with { Pid = ExecLimits.MaxPid + 1 } },
            "negative ppid" => Valid with { Exec = x with { Ppid = -1 } },
            "process of another pid" => Valid with { Process = Key(2001) },
            "no process" => Valid with { Process = ProcessKey.None },
            "boot with control" => Valid with { Parent = new ProcessKey("b\u0007", 1000, 1) },
            "null boot" => Valid with { Process = new ProcessKey(null!, 2000, 1) },
            "boot too long" => Valid with { Ancestry = [Ancestor(new ProcessKey(new string('b', ExecLimits.MaxBootChars + 1), 1000, 1), "/bin/sh")] },
            "negative start" => Valid with { Ancestry = [Valid.Ancestry[0], Ancestor(Key(1, -5), "/sbin/init")] },
            "null ancestor" => Valid with { Ancestry = [Valid.Ancestry[0], null!] },
            "unknown provenance" => Valid with { Ancestry = [Valid.Ancestry[0] with { Provenance = (Provenance)9 }] },
            "too deep" => Valid with { Ancestry = [.. Enumerable.Repeat(Valid.Ancestry[1], ExecLimits.MaxAncestry + 1)] },
            "unknown syscall" => Valid with { Exec = x with { Syscall = "fork" } },
            "arch with markup" => Valid with { Exec = x with { Arch = "<b>" } },
            "time before 1970" => Valid with { Exec = x with { Time = DateTimeOffset.UnixEpoch.AddTicks(-1) } },
            _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
        };
    }
}
