using System.Buffers;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// The elements of one array of a session export (its events or its processes), each written as
/// the JSON object of its contract type by whoever reads them, many at a time: a store that reads
/// its rows straight into JSON, or <see cref="SessionJsonArrays"/>, which serializes domain objects.
/// </summary>
public interface ISessionJsonArray : IAsyncDisposable
{
    /// <summary>
    /// Writes the next elements into <paramref name="output"/> until at least <paramref name="bytes"/>
    /// bytes are written or none is left, separated by commas as in an array (a comma before each
    /// element but the array's first), and advances <paramref name="output"/> past them. Returns
    /// false once the last element is written; the caller sends what was written before it asks again.
    /// </summary>
    ValueTask<bool> WriteNextAsync(IBufferWriter<byte> output, int bytes, CancellationToken cancellationToken);
}
