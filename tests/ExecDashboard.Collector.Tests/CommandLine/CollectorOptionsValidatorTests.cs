using ExecDashboard.Collector.Options;

namespace ExecDashboard.Collector.Tests.CommandLine;

public sealed class CollectorOptionsValidatorTests
{
    private readonly CollectorOptionsValidator _validator = new();

    [Fact]
    public void Accepts_the_defaults() => Assert.True(_validator.Validate(null, new CollectorOptions()).Succeeded);

    [Fact]
    public void File_source_needs_a_path() =>
        Assert.Equal(["--source file needs --file PATH naming an auditd log."], Failures(new CollectorOptions { Source = SourceKind.File }));

    [Fact]
    public void Follow_and_file_belong_to_the_file_source() =>
        Assert.Equal(
            ["--file is only used with --source file.", "--follow is only used with --source file."],
            Failures(new CollectorOptions { File = "x.log", Follow = true }));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\tkey")]
    public void Rejects_keys_the_kernel_or_auditctl_would_not_take(string key) =>
        Assert.Single(Failures(new CollectorOptions { Key = key }));

    [Theory]
    [InlineData(OutputFormat.Auto, true, OutputFormat.Text)]
    [InlineData(OutputFormat.Auto, false, OutputFormat.Jsonl)]
    [InlineData(OutputFormat.Jsonl, true, OutputFormat.Jsonl)]
    [InlineData(OutputFormat.Text, false, OutputFormat.Text)]
    public void Automatic_output_is_text_on_a_terminal_and_jsonl_elsewhere(OutputFormat chosen, bool terminal, OutputFormat expected) =>
        Assert.Equal(expected, new CollectorOptions { Output = chosen }.ResolveOutput(terminal));

    [Fact]
    public void The_kernel_queue_holds_its_capacity_in_records_and_a_log_queue_a_few_reads() =>
        Assert.Equal(
            (2048, 8),
            (new CollectorOptions { QueueCapacity = 2048 }.QueueBlocks, new CollectorOptions { Source = SourceKind.File, File = "x.log", QueueCapacity = 2048 }.QueueBlocks));

    [Fact]
    public void Output_defaults_to_nothing_when_events_go_to_a_dashboard() =>
        Assert.Equal(OutputFormat.None, new CollectorOptions { Servers = [new Uri("http://127.0.0.1:5150")] }.ResolveOutput(stdoutIsTerminal: true));

    [Fact]
    public void Output_none_needs_a_server() =>
        Assert.Equal(["--output none needs --server, or the events would go nowhere."], Failures(new CollectorOptions { Output = OutputFormat.None }));

    [Fact]
    public void Token_file_and_spool_belong_to_the_server() =>
        Assert.Equal(["--token-file and --spool are only used with --server."], Failures(new CollectorOptions { TokenFile = "t", SpoolDirectory = "s" }));

    [Fact]
    public void Server_must_be_an_http_address() =>
        Assert.Single(Failures(new CollectorOptions { Servers = [new Uri("http://127.0.0.1:5150"), new Uri("ftp://127.0.0.1/")] }));

    [Fact]
    public void Ca_file_belongs_to_an_https_server()
    {
        Assert.Equal(["--ca-file is only used with https:// --server addresses."], Failures(new CollectorOptions { CaFile = "ca.pem", Servers = [new Uri("https://dashboard.example:5151"), new Uri("http://127.0.0.1:5150")] }));
        Assert.Empty(Failures(new CollectorOptions { CaFile = "ca.pem", Servers = [new Uri("https://dashboard.example:5151"), new Uri("https://dashboard-2.example:5151")] }));
    }

    private IEnumerable<string> Failures(CollectorOptions options) => _validator.Validate(null, options).Failures ?? [];
}
