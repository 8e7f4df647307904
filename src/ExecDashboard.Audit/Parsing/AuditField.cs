namespace ExecDashboard.Audit.Parsing;

/// <summary>How a field's value was written on the wire.</summary>
public enum AuditValueKind : byte
{
    /// <summary>Bare token: a number, a word, or a hex-encoded string (the kernel's "untrusted string" form).</summary>
    Unquoted,

    /// <summary>Between double quotes: the literal text, written so by the kernel only when it needs no escaping.</summary>
    Quoted,

    /// <summary>Between single quotes: a user-space message such as <c>msg='op=login ...'</c>.</summary>
    SingleQuoted,

    /// <summary><c>(null)</c>: the kernel had no value (for example no rule key).</summary>
    Null,

    /// <summary><c>(none)</c>: the kernel's "nothing" marker (for example <c>tty=(none)</c>).</summary>
    None,
}

/// <summary>Where one <c>key=value</c> pair lies inside <see cref="AuditRecord.Body"/>; no strings.</summary>
public readonly record struct AuditField(
    int KeyStart,
    int KeyLength,
    int ValueStart,
    int ValueLength,
    AuditValueKind Kind);
