using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Audit.Tests.Fixtures;

namespace ExecDashboard.Audit.Tests.Parsing;

/// <summary>Any bytes in, a record or a reason out: never an exception.</summary>
public sealed class ParserRobustnessTests
{
    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20261124);
        var parser = new AuditRecordParser();
        var alphabet = "type=SYSCALL msg=audit(1.2:3): \"'=()[]\u001d\u0001 node=x a0=41 argc=2 0123456789ABCDEF"u8.ToArray();
        var malformed = 0;
        for (var i = 0; i < 20000; i++)
        {
            var buffer = new byte[random.Next(0, 300)];
            if (i % 2 == 0)
            {
                random.NextBytes(buffer);
            }
            else
            {
                for (var j = 0; j < buffer.Length; j++)
                {
                    buffer[j] = alphabet[random.Next(alphabet.Length)];
                }
            }

            var result = parser.Parse((ushort)(i % 3 == 0 ? 1300 : 0), buffer);
            malformed += result.Succeeded ? 0 : 1;
            Assert.Equal(result.Succeeded, result.Error == AuditParseError.None);
        }

        Assert.True(malformed > 0);
    }

    [Fact]
    public void Truncated_real_records_never_throw_and_later_records_still_assemble()
    {
        var lines = AuditFixtures.Records("laurel/record-execve-long.txt")
            .Concat(AuditFixtures.Records("laurel/record-execve.txt"))
            .Concat(AuditFixtures.Records("go-libaudit/audit-rhel7.log").Take(12))
            .ToList();
        var emitted = 0;
        var pipeline = new AuditExecPipeline("local", new EventAssemblerOptions(), TimeProvider.System, _ => emitted++);

        foreach (var line in lines)
        {
            var step = Math.Max(1, line.Data.Length / 400);
            for (var length = 0; length <= line.Data.Length; length += step)
            {
                pipeline.Push(new RawAuditRecord(0, line.Data[..length]));
            }
        }

        // After all that garbage the pipeline still assembles a clean log completely.
        foreach (var record in AuditFixtures.Records("go-libaudit/normal.log"))
        {
            pipeline.Push(record);
        }

        pipeline.Flush();

        Assert.True(pipeline.MalformedRecords > 0);
        Assert.True(emitted >= 2);
    }
}
