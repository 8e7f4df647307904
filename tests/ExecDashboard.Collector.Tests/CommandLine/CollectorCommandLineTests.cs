using ExecDashboard.Collector.CommandLine;
using ExecDashboard.Collector.Options;
using Microsoft.Extensions.Configuration;

namespace ExecDashboard.Collector.Tests.CommandLine;

public sealed class CollectorCommandLineTests
{
    [Fact]
    public void Defaults_to_the_netlink_source_automatic_output_and_key_execdash()
    {
        var options = Bind([]);

        Assert.Equal(SourceKind.Netlink, options.Source);
        Assert.Equal(OutputFormat.Auto, options.Output);
        Assert.Equal("execdash", options.Key);
        Assert.False(options.Follow);
    }

    [Fact]
    public void Reads_a_followed_file_source_with_jsonl_output()
    {
        var options = Bind(["--source", "file", "--file", "/var/log/audit/audit.log", "--follow", "--output", "jsonl"]);

        Assert.Equal(SourceKind.File, options.Source);
        Assert.Equal("/var/log/audit/audit.log", options.File);
        Assert.True(options.Follow);
        Assert.Equal(OutputFormat.Jsonl, options.Output);
    }

    [Fact]
    public void Accepts_name_equals_value_and_a_custom_key()
    {
        var options = Bind(["--source=file", "--file=a log.txt", "--key=mykey", "--stats-interval=2.5"]);

        Assert.Equal("a log.txt", options.File);
        Assert.Equal("mykey", options.Key);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.StatsInterval);
    }

    [Fact]
    public void Reads_several_dashboard_replicas_in_the_order_given()
    {
        var options = Bind(["--server", "http://10.0.0.1:5150, https://dash-2.example:5151"]);

        Assert.Equal([new Uri("http://10.0.0.1:5150"), new Uri("https://dash-2.example:5151")], options.Servers);
        Assert.Equal(OutputFormat.None, options.ResolveOutput(stdoutIsTerminal: true));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Asks_for_help(string flag)
    {
        Assert.True(CollectorCommandLine.Parse(["--source", "file", flag]).HelpRequested);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "Unknown option '--bogus'; run with --help to see the options.")]
    [InlineData(new[] { "stray" }, "Unexpected argument 'stray'; run with --help to see the options.")]
    [InlineData(new[] { "--output", "xml" }, "--output must be one of text, jsonl, none, not 'xml'.")]
    [InlineData(new[] { "--source" }, "--source must be one of netlink, file.")]
    [InlineData(new[] { "--file", "--follow" }, "--file needs a value.")]
    [InlineData(new[] { "--follow=yes" }, "--follow takes no value.")]
    [InlineData(new[] { "--stats-interval", "0" }, "--stats-interval needs a number of seconds greater than 0.")]
    [InlineData(new[] { "--server", "http://10.0.0.1:5150,10.0.0.2:5150" }, "--server takes http:// or https:// addresses separated by commas, such as http://10.0.0.1:5150,http://10.0.0.2:5150; '10.0.0.2:5150' is not one.")]
    [InlineData(new[] { "--server", "http://10.0.0.1:5150,,http://10.0.0.2:5150" }, "--server takes http:// or https:// addresses separated by commas, such as http://10.0.0.1:5150,http://10.0.0.2:5150; '' is not one.")]
    [InlineData(new[] { "--server=ftp://10.0.0.1" }, "--server takes http:// or https:// addresses separated by commas, such as http://10.0.0.1:5150,http://10.0.0.2:5150; 'ftp://10.0.0.1' is not one.")]
    public void Rejects_a_wrong_command_line_with_one_sentence(string[] args, string expected)
    {
        var result = CollectorCommandLine.Parse(args);

        Assert.Equal(expected, result.Error);
        Assert.False(result.HelpRequested);
    }

    [Fact]
    public void Help_text_names_every_option()
    {
        foreach (var option in new[] { "--source", "--file", "--follow", "--output", "--key", "--stats-interval", "--help" })
        {
            Assert.Contains(option, CollectorCommandLine.HelpText, StringComparison.Ordinal);
        }
    }

    private static CollectorOptions Bind(string[] args)
    {
        var result = CollectorCommandLine.Parse(args);
        Assert.Null(result.Error);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(result.Settings).Build();
        var options = new CollectorOptions();
        configuration.GetSection(CollectorOptions.SectionName).Bind(options);
        return options;
    }
}
