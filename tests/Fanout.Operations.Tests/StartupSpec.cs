using System.Text.Json;

namespace Fanout.Operations.Tests;

/// <summary>
/// Start-up and exit as a process supervisor sees them: a configuration that cannot work
/// ends the process with code 1 and one readable line per problem, no stack trace; with
/// JSON console logging every line the node prints, Akka's last ones at shutdown included,
/// is one JSON object (nothing bypasses the log pipeline).
/// </summary>
public sealed class StartupSpec
{
    private static readonly TimeSpan ExitPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_invalid_configuration_exits_1_with_one_line_per_problem_and_no_stack_trace()
    {
        var (exitCode, output, errors) = await NodeProcess.RunToExitAsync(
            ExitPatience,
            "--Fanout:Subscriber:MaxEvents=0",
            "--Fanout:Limits:MaxBatchEvents=0",
            "--Fanout:Auth:SigningKey=too-short");

        Assert.True(exitCode == 1, $"exit code {exitCode}; stderr:\n{string.Join("\n", errors)}");
        Assert.Collection(
            errors,
            line => Assert.Equal("Fanout:Subscriber:MaxEvents must be at least 1.", line),
            line => Assert.Equal("Fanout:Limits:MaxBatchEvents must be at least 1.", line),
            line => Assert.StartsWith("Fanout:Auth:SigningKey(s): an HS256 key must be at least 32 bytes", line, StringComparison.Ordinal));
        Assert.DoesNotContain(output.Concat(errors), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Concat(errors), line => line.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_that_does_not_convert_exits_1_naming_its_key()
    {
        var (exitCode, output, errors) = await NodeProcess.RunToExitAsync(ExitPatience, "--Fanout:Subscriber:MaxEvents=lots");

        Assert.Equal(1, exitCode);
        var line = Assert.Single(errors);
        Assert.Contains("'Fanout:Subscriber:MaxEvents'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_json_logging_every_line_of_a_run_and_its_shutdown_is_json()
    {
        await using var server = await NodeProcess.StartAsync(
            "--Fanout:Logging:Json=true", "--Logging:LogLevel:Default=Information", "--Fanout:Shutdown:DrainSeconds=10");

        server.Terminate();
        Assert.True(await server.ExitsWithinAsync(ExitPatience), "the node exits after SIGTERM");
        Assert.Equal(0, server.ExitCode);

        var messages = new List<string>();
        foreach (var line in server.Output)
        {
            using var entry = ParseJsonLine(line);
            messages.Add(entry.RootElement.GetProperty("Message").GetString()!);
        }

        Assert.Empty(server.Errors);

        // Akka logs these after its actor logger stopped: they came through the pipeline too.
        Assert.Contains(messages, m => m.StartsWith("Remoting shut down", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Successfully shut down", StringComparison.Ordinal));
    }

    private static JsonDocument ParseJsonLine(string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"A stdout line is not JSON ({ex.Message}): {line}");
        }
    }
}
