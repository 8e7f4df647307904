using System.Buffers;
using System.Text;
using ExecDashboard.Contracts.Sessions;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>The text of an export's array, asked for in pieces as the session writer asks for them.</summary>
internal static class SessionArrays
{
    /// <summary>Writes the whole array, at least <paramref name="piece"/> bytes per call; returns it bracketed as in a file.</summary>
    public static async Task<string> TextAsync(ISessionJsonArray array, int piece)
    {
        var output = new ArrayBufferWriter<byte>();
        while (await array.WriteNextAsync(output, piece, CancellationToken.None))
        {
        }

        return "[" + Encoding.UTF8.GetString(output.WrittenSpan) + "]";
    }

    /// <summary>As the other, for an array made for the one look (the serializer's): disposed after.</summary>
    public static async Task<string> TextOfAsync(ISessionJsonArray array)
    {
        await using (array)
        {
            return await TextAsync(array, int.MaxValue);
        }
    }
}
