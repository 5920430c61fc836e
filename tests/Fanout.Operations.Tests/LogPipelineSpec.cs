using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;


namespace Fanout.Operations.Tests;

/// <summary>One log pipeline: Akka's logging arrives in Microsoft.Extensions.Logging, structured (issue 6).</summary>
public sealed class LogPipelineSpec
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public LogPipelineSpec(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task An_akka_log_line_arrives_in_a_logger_provider_with_its_template_properties()
    {
        var sink = new LogSink();
        await using var node = await OpsNode.StartAsync(configure: builder => builder.Logging.AddProvider(sink));

        var marker = Guid.NewGuid().ToString("N");
        Logging.GetLogger(node.System, "ops-test").Warning("Probe {Marker} from {Origin}", marker, "akka");

        var entry = await AwaitEntryAsync(sink, e => e.Message.Contains(marker, StringComparison.Ordinal));
        _output.WriteLine($"{entry.Category}: {entry.Message} [{string.Join(", ", entry.Properties.Select(p => $"{p.Key}={p.Value}"))}]");
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal($"Probe {marker} from akka", entry.Message);
        Assert.Equal(marker, entry.Properties["Marker"]?.ToString());
        Assert.Equal("akka", entry.Properties["Origin"]?.ToString());
        Assert.Equal("Probe {Marker} from {Origin}", entry.Properties["{OriginalFormat}"]);
        Assert.StartsWith("ops-test", entry.Properties["LogSource"]?.ToString());
        Assert.Equal("Akka", entry.Category);
        Assert.True(entry.StateIsCollection, "every MEL formatter, the JSON console's included, can print the properties");
    }

    [Fact]
    public async Task The_json_console_option_switches_the_console_to_one_json_object_per_line()
    {
        await using var plain = await OpsNode.StartAsync();
        Assert.NotEqual(ConsoleFormatterNames.Json, plain.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);

        await using var json = await OpsNode.StartAsync(["--Fanout:Logging:Json=true"]);
        Assert.Equal(ConsoleFormatterNames.Json, json.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    public static async Task<LoggedEntry> AwaitEntryAsync(LogSink sink, Func<LoggedEntry, bool> match)
    {
        LoggedEntry? found = null;
        await Eventually.HoldsAsync(
            () => Task.FromResult((found = sink.Entries.FirstOrDefault(match)) is not null),
            TimeSpan.FromSeconds(20),
            "the log entry reached the provider");
        return found!;
    }
}
