using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Akka.Actor;

using Fanout.Testing;

namespace Fanout.Security.Tests;

/// <summary>
/// A real node in this process: Kestrel on 127.0.0.1 with a free port, remoting on a free
/// port, started and Up before the test talks to it. Keeps the error log it wrote.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;

    private TestNode(WebApplication app, Uri address, LogSink log)
    {
        _app = app;
        Address = address;
        Log = log;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public LogSink Log { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node with <paramref name="settings"/> given as <c>Key=Value</c> configuration.</summary>
    public static async Task<TestNode> StartAsync(params string[] settings)
    {
        var log = new LogSink();
        var (app, url) = await LoopbackNode.StartAsync(
            settings.Select(s => "--" + s), builder => builder.Logging.AddProvider(log), StartTimeout);
        return new TestNode(app, url, log);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async Task<HttpResponseMessage> PublishAsync(string topic, string? token, string json = """{"data":{"n":1}}""")
    {
        using var request = Request(HttpMethod.Post, $"/topics/{topic}/events", token, json);
        return await Http.SendAsync(request);
    }

    /// <summary>The topic's last seq as <c>GET /topics/{topic}</c> reports it.</summary>
    public async Task<long> LastSeqAsync(string topic, string? token)
    {
        using var request = Request(HttpMethod.Get, $"/topics/{topic}", token);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("lastSeq").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
