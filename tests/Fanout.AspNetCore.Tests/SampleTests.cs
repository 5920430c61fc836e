using System.Net;
using System.Reflection;
using ConsoleClient;
using Fanout.Testing;

namespace Fanout.AspNetCore.Tests;

/// <summary>The samples do what their READMEs say, so they cannot rot.</summary>
public sealed class SampleTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConsoleClient_tails_across_a_node_restart_and_resumes_from_its_cursor_file()
    {
        var folder = Directory.CreateTempSubdirectory("fanout-console-sample-");
        try
        {
            var cursor = Path.Combine(folder.FullName, "tail.cursor");
            string[] node = [
                "--urls", $"http://127.0.0.1:{LoopbackPorts.Take(1)[0]}",
                "--Fanout:Store:Kind=sqlite", $"--Fanout:Store:ConnectionString=Data Source={Path.Combine(folder.FullName, "hub.db")}",
                "--Fanout:Subscriber:RetryMilliseconds=200",
            ];
            var (app, url) = await LoopbackNode.StartAsync(node);
            var hub = url.ToString();
            const string topic = "sample/ticks";
            try
            {
                // Where the tail starts: after a first event, its id in the cursor file.
                var first = await RunAsync("publish", hub, topic, "1");
                await File.WriteAllTextAsync(cursor, first.Single().Split("id=")[1]);

                var tailOutput = new OutputLines();
                using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                var tail = Commands.RunAsync(["tail", hub, topic, "--cursor", cursor, "--count", "6"], tailOutput, stop.Token);
                await RunAsync("publish", hub, topic, "3");
                await tailOutput.AwaitAsync(IsEvent, 3, Within, "before the restart");

                // The node goes away (it tells its subscribers) and comes back on the same address and file.
                await app.StopAsync();
                await app.DisposeAsync();
                (app, _) = await LoopbackNode.StartAsync(node);
                await RunAsync("publish", hub, topic, "3");

                Assert.Equal(0, await tail.WaitAsync(Within));
                Assert.Equal(["1", "2", "3", "1", "2", "3"], tailOutput.Lines.Where(IsEvent).Select(N));

                // The console restarts: it resumes after the last event it printed.
                await RunAsync("publish", hub, topic, "2");
                var resumed = await RunAsync("tail", hub, topic, "--cursor", cursor, "--count", "2");
                Assert.StartsWith("tailing sample/ticks after ", resumed[0]);
                Assert.Equal(["1", "2"], resumed.Where(IsEvent).Select(N));
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ConsoleClient_explains_its_usage()
    {
        var output = new OutputLines();
        Assert.Equal(2, await Commands.RunAsync(["tail"], output, CancellationToken.None));
        Assert.Equal("usage:", output.Lines[0]);
    }

    [Fact]
    public async Task EmbeddedHub_serves_the_hub_below_hub_only_to_signed_in_users()
    {
        var build = typeof(SampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "EmbeddedHubBuild").Value!;
        var ports = LoopbackPorts.Take(2);
        var url = new Uri($"http://127.0.0.1:{ports[0]}");
        await using var process = await NodeProcess.StartCommandLineAsync(
            "dotnet", [build, "--urls", url.ToString(), $"--Fanout:Remoting:Port={ports[1]}"], Path.GetDirectoryName(build)!, new Dictionary<string, string>());
        using var anonymous = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/hub/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hub/topics/chat/events", new StringContent("{\"data\":1}"))).StatusCode);

        await using var user = await SignedInClient.SignInAsync(url, "/hub/", "alice");
        await Eventually.HoldsAsync(async () => (await user.Http.GetAsync("/hub/readyz")).IsSuccessStatusCode, Within, "the embedded hub is ready");
        var first = await user.Fanout.PublishAsync("chat", new { text = "hello" });
        var second = await user.Fanout.PublishAsync("chat", new { text = "again" });
        await using (var reading = new Reading(user.Fanout, "chat", first.Id))
        {
            var item = await reading.NextAsync();
            Assert.Equal((second.Id, "again"), (item.Id, item.Data.GetProperty("text").GetString()));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsync("/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Http.GetAsync("/hub/topics")).StatusCode);
        Assert.Equal(0, await process.TerminateAsync(Within));
    }

    private static bool IsEvent(string line) => line.StartsWith("tick ", StringComparison.Ordinal);

    /// <summary>The <c>n</c> of a tail's event line, <c>tick {"n":2} id=...</c>.</summary>
    private static string N(string line) => line.Split("\"n\":")[1].Split('}')[0];

    private static async Task<IReadOnlyList<string>> RunAsync(params string[] args)
    {
        var output = new OutputLines();
        using var timeout = new CancellationTokenSource(Within);
        var exit = await Commands.RunAsync(args, output, timeout.Token);
        Assert.True(exit == 0, $"{string.Join(' ', args)} exited {exit}:\n{string.Join('\n', output.Lines)}");
        return output.Lines;
    }
}
