using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Mapping;

/// <summary>
/// The decoded text of one field (such as <c>exe=</c>), kept with its raw bytes: in an exec storm
/// the same exe, comm and cwd arrive thousands of times in a row, and decoding each anew costs a
/// string per exec. A value that differs from the last one is decoded and remembered instead.
/// </summary>
internal sealed class RepeatedFieldText(string key)
{
    private readonly byte[] _key = System.Text.Encoding.ASCII.GetBytes(key);
    private byte[] _raw = new byte[128];
    private int _rawLength = -1;
    private AuditValueKind _kind;
    private string? _text;

    /// <summary>The field's text as <see cref="AuditRecord.GetUntrustedString"/> decodes it; null when absent.</summary>
    public string? Read(AuditRecord record) =>
        record.TryGetField(_key, out var field) ? Read(record, field) : null;

    /// <summary>The text of <paramref name="field"/>, this reader's field already found in <paramref name="record"/>.</summary>
    public string? Read(AuditRecord record, AuditField field)
    {
        var value = record.ValueOf(field);
        if (_rawLength >= 0 && field.Kind == _kind && value.SequenceEqual(_raw.AsSpan(0, _rawLength)))
        {
            return _text;
        }

        _text = record.DecodeUntrustedString(field);
        if (_raw.Length < value.Length)
        {
            _raw = new byte[value.Length];
        }

        value.CopyTo(_raw);
        _rawLength = value.Length;
        _kind = field.Kind;
        return _text;
    }
}
