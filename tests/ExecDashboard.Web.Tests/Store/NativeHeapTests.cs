using System.Globalization;
using System.Runtime.InteropServices;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Store;

public sealed class NativeHeapTests
{
    private const int BlockBytes = 4096;
    private const int Blocks = 32_768;
    private const long HeldKib = (long)BlockBytes * Blocks / 1024;

    [Fact]
    public void Trim_gives_back_memory_another_thread_freed()
    {
        // Allocated and freed on a thread of its own, as an export's page cache is. A block still
        // in use above them keeps glibc from cutting the freed ones off the top of that arena.
        var keep = nint.Zero;
        var thread = new Thread(() =>
        {
            var blocks = new nint[Blocks];
            for (var i = 0; i < Blocks; i++)
            {
                blocks[i] = Marshal.AllocHGlobal(BlockBytes);
                for (var offset = 0; offset < BlockBytes; offset += 512)
                {
                    Marshal.WriteByte(blocks[i], offset, 1);
                }
            }

            keep = Marshal.AllocHGlobal(BlockBytes);
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }
        });
        var start = AnonymousKib();
        thread.Start();
        thread.Join();
        try
        {
            var freed = AnonymousKib();
            NativeHeap.Trim();
            var trimmed = AnonymousKib();

            Assert.True(freed - start >= HeldKib / 2, $"Freed memory was not kept resident (from {start} KiB to {freed} KiB): the test proves nothing here.");
            Assert.True(freed - trimmed >= HeldKib / 2, $"Trim gave back {freed - trimmed} KiB of the {HeldKib} KiB freed.");
        }
        finally
        {
            Marshal.FreeHGlobal(keep);
        }
    }

    private static long AnonymousKib()
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
