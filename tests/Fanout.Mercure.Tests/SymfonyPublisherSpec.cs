using System.Diagnostics;
using System.Text.Json;

namespace Fanout.Mercure.Tests;

/// <summary>
/// Interop with a Mercure client no one here wrote: Debian's php-symfony-mercure publishes
/// through its own <c>Hub</c> and <c>Update</c> classes to Fanout, and a subscriber gets the
/// updates as published (canonical and alternate topics, private, id, type, retry, multi-line data).
/// </summary>
public sealed class SymfonyPublisherSpec
{
    public const string InstallCommand = "apt-get install -y -q php-cli php-symfony-mercure php-symfony-http-client";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "php", "publish.php");

    [SkippableFact]
    public async Task Symfonys_mercure_publisher_publishes_to_fanout_unchanged()
    {
        Skip.IfNot(
            File.Exists("/usr/bin/php") && File.Exists("/usr/share/php/Symfony/Component/Mercure/Hub.php") && File.Exists("/usr/share/php/Symfony/Component/HttpClient/HttpClient.php"),
            $"PHP with Symfony's Mercure component is not installed: {InstallCommand}");

        await using var node = await MercureNode.StartAsync();
        var topic = NodeFixture.Topic("symfony");
        using var insider = node.Client(Jwt.Subscriber(topic + "/{x}"));
        await using var stream = await Mercure.SubscribeAsync(insider, [topic + "{?x}", topic + "/alt"]);
        var customId = "urn:uuid:" + Guid.NewGuid();

        var ids = await PublishWithSymfonyAsync(
            node,
            Jwt.Publisher(topic + "{/rest}", topic + "/alt"),
            new { topics = new[] { topic }, data = "{\"title\":\"first\"}" },
            new { topics = new[] { topic + "/other", topic + "/alt" }, data = "line 1\nline 2", @private = true, id = customId, type = "book.updated", retry = 2000 });

        Assert.Equal(2, ids.Count);
        Assert.Matches("^urn:uuid:", ids[0]);
        Assert.Equal(customId, ids[1]);
        var first = await stream.NextAsync();
        Assert.Equal((ids[0], "message", "{\"title\":\"first\"}"), (first.EventId, first.EventType, first.Data));
        var second = await stream.NextAsync();
        Assert.Equal((customId, "book.updated", "line 1\nline 2", TimeSpan.FromMilliseconds(2000)), (second.EventId, second.EventType, second.Data, second.ReconnectionInterval!.Value));
    }

    [SkippableFact]
    public async Task Symfonys_publisher_sees_a_refusal_as_an_error()
    {
        Skip.IfNot(File.Exists("/usr/bin/php") && File.Exists("/usr/share/php/Symfony/Component/Mercure/Hub.php"), $"PHP with Symfony's Mercure component is not installed: {InstallCommand}");
        await using var node = await MercureNode.StartAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => PublishWithSymfonyAsync(
            node, Jwt.Publisher("https://example.com/only/{id}"), new { topics = new[] { "https://example.com/other" }, data = "x" }));

        Assert.Contains("403", failure.Message);
    }

    private static async Task<List<string>> PublishWithSymfonyAsync(MercureNode node, string jwt, params object[] updates)
    {
        var start = new ProcessStartInfo("/usr/bin/php", [Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["MERCURE_URL"] = new Uri(node.Url, Mercure.Path).ToString(),
                ["MERCURE_JWT"] = jwt,
            },
        };
        using var php = Process.Start(start)!;
        await php.StandardInput.WriteAsync(JsonSerializer.Serialize(updates));
        php.StandardInput.Close();
        var output = php.StandardOutput.ReadToEndAsync();
        var errors = php.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await php.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            php.Kill();
            throw new TimeoutException("php did not finish within 60 s.");
        }

        if (php.ExitCode != 0)
        {
            throw new InvalidOperationException($"php exited {php.ExitCode}: {await output}{await errors}");
        }

        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
