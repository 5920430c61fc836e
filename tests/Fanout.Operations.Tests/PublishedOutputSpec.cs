using System.Net;
using System.Text.Json;
using Fanout.AspNetCore.Lifecycle;

namespace Fanout.Operations.Tests;

/// <summary>
/// The deployable unit of docs/deployment.md (issue 15): the <c>dotnet publish</c> output runs
/// from any working directory, the systemd unit's command line starts it and stops it within
/// the unit's stop timeout, and <c>Fanout__...</c> environment variables reach the node.
/// </summary>
public sealed class PublishedOutputSpec : IClassFixture<PublishedOutput>
{
    private const string InstallFolder = "/opt/fanout";

    private readonly PublishedOutput _published;

    public PublishedOutputSpec(PublishedOutput published) => _published = published;

    [Fact]
    public async Task Published_output_runs_from_a_folder_that_holds_none_of_its_files()
    {
        Assert.True(File.Exists(Path.Combine(_published.Folder, "hocon", "fanout.hocon")), "hocon/ beside the executable");
        Assert.True(File.Exists(Path.Combine(_published.Folder, "wwwroot", "index.html")), "wwwroot/ beside the executable");
        Assert.True(File.Exists(Path.Combine(_published.Folder, "appsettings.json")), "appsettings.json beside the executable");
        var elsewhere = _published.NewEmptyFolder();

        await using var node = await NodeProcess.StartCommandLineAsync(
            Path.Combine(_published.Folder, "Fanout.Server"),
            ["--urls", "http://127.0.0.1:0", "--Fanout:Remoting:Port=0"],
            elsewhere,
            new Dictionary<string, string>());

        await ListenEnvironmentSpec.AssertReadyAsync(node);
        using var http = new HttpClient { BaseAddress = node.LoopbackUrl() };
        var dashboard = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_systemd_unit_command_line_starts_the_published_node_and_stops_it_within_TimeoutStopSec()
    {
        var unit = SystemdUnit.Load(Path.Combine(_published.RepositoryRoot, "deploy", "systemd", "fanout.service"));
        var command = SystemdUnit.CommandLine(unit.Value("Service", "ExecStart"));
        var stopWithin = SystemdUnit.Seconds(unit.Value("Service", "TimeoutStopSec"));
        Assert.Equal("SIGTERM", unit.Value("Service", "KillSignal"));
        Assert.True(stopWithin > new ShutdownSettings().DrainSeconds, "TimeoutStopSec leaves the default drain time to finish");

        // The same words, with the install folder where this test published to, and the
        // unit's own environment plus what the environment file would give a test machine.
        var arguments = command.Skip(1).Select(word => word.Replace(InstallFolder, _published.Folder, StringComparison.Ordinal)).ToList();
        Assert.Contains(arguments, word => word.StartsWith(_published.Folder, StringComparison.Ordinal));
        var environment = unit.Values("Service", "Environment")
            .SelectMany(SystemdUnit.CommandLine)
            .Select(assignment => assignment.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        environment["Fanout__Remoting__Port"] = "0";

        var stateDirectory = _published.NewEmptyFolder();
        await using var node = await NodeProcess.StartCommandLineAsync(
            Executable(command[0]),
            arguments,
            stateDirectory,
            environment);

        await ListenEnvironmentSpec.AssertReadyAsync(node);

        // The default store's file goes to the working directory: the unit's state directory.
        Assert.True(File.Exists(Path.Combine(stateDirectory, "data", "fanout.db")), node.Transcript);
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(stopWithin)));
    }

    [Fact]
    public async Task Fanout_environment_variables_reach_the_node_over_appsettings_json()
    {
        var remotingPort = LoopbackPorts.Take(1)[0];
        await using var node = await NodeProcess.StartCommandLineAsync(
            Path.Combine(_published.Folder, "Fanout.Server"),
            [],
            _published.NewEmptyFolder(),
            new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Fanout__Remoting__Port"] = remotingPort.ToString(),
                ["Fanout__Remoting__PublicHost"] = "localhost",
            });

        await ListenEnvironmentSpec.AssertReadyAsync(node);
        using var http = new HttpClient { BaseAddress = node.LoopbackUrl() };
        await using var stream = await SseStream.OpenAsync(http, "/topics/deployment-env/events");
        var connected = await stream.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("fanout.connected", connected.EventType);
        Assert.Equal($"akka.tcp://fanout@localhost:{remotingPort}", JsonDocument.Parse(connected.Data).RootElement.GetProperty("node").GetString());
    }

    /// <summary>The unit's executable, or the dotnet host running these tests where the machine keeps dotnet elsewhere.</summary>
    private static string Executable(string path) =>
        File.Exists(path) || Path.GetFileName(path) != "dotnet" ? path : "dotnet";
}
