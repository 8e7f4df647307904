using ExecDashboard.Contracts.Json;

namespace ExecDashboard.Contracts.Tests;

/// <summary>
/// The collector writes every jsonl line through the generated serializer's fast path; a converter
/// on a member of a message would silently take it away (the generator then emits no handler).
/// </summary>
public sealed class GeneratedFastPathTests
{
    [Fact]
    public void Exec_and_exit_lines_have_a_generated_serialize_handler()
    {
        Assert.NotNull(ContractJsonContext.Default.ExecEventMessage.SerializeHandler);
        Assert.NotNull(ContractJsonContext.Default.ProcessExitMessage.SerializeHandler);
    }

    [Fact]
    public void A_shape_with_a_member_converter_has_none_so_the_check_above_can_fail()
    {
        Assert.Null(ContractJsonContext.Default.ProcessDto.SerializeHandler);
    }
}
