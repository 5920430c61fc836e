using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CsCheck;

namespace Fanout.Security.Tests;

/// <summary>
/// Property-based barrages at publish and subscribe: whatever a client sends, the node
/// answers below 500, stays up, and a healthy subscriber opened before the barrage keeps
/// receiving throughout. Iteration counts are bounded to keep the suite short.
/// </summary>
public sealed class FuzzTests : IClassFixture<FuzzTests.FuzzNode>
{
    private const int Iterations = 300;
    private const int Threads = 2;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TestNode _node;

    public FuzzTests(FuzzNode fixture) => _node = fixture.Node;

    private static string Admin => SecuredNode.Admin;

    [Fact]
    public Task Random_bytes_with_random_content_types_never_get_a_5xx() => UnderBarrageAsync(
        Gen.Select(Gen.Byte.Array[0, 3000], FuzzGen.ContentType, Gen.Bool),
        async input =>
        {
            var (body, contentType, batch) = input;
            using var request = new HttpRequestMessage(HttpMethod.Post, batch ? "/topics/fuzz/bytes/events:batch" : "/topics/fuzz/bytes/events");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await _node.Http.SendAsync(request);
            AssertStatusIn(response, HttpStatusCode.Accepted, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType);
        });

    [Fact]
    public async Task Random_json_events_never_get_a_5xx()
    {
        var accepted = 0;
        await UnderBarrageAsync(
            Gen.Select(FuzzGen.EventBody, Gen.Bool),
            async input =>
            {
                var (json, batch) = input;
                using var request = _node.Request(HttpMethod.Post, batch ? "/topics/fuzz/json/events:batch" : "/topics/fuzz/json/events", Admin, json);
                using var response = await _node.Http.SendAsync(request);
                AssertStatusIn(response, HttpStatusCode.Accepted, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref accepted);
                }
            });

        // The generator must reach past validation too, or the barrage tests only the front door.
        Assert.True(accepted > 0, "No generated event was accepted.");
    }

    [Fact]
    public async Task Json_events_with_invalid_utf8_or_broken_surrogates_never_get_a_5xx()
    {
        var refused = 0;
        await UnderBarrageAsync(
            Gen.Select(Gen.Frequency((1, FuzzGen.EventBodyWithInvalidUtf8), (1, FuzzGen.EventBody.Select(Encoding.UTF8.GetBytes))), Gen.Bool),
            async input =>
            {
                var (body, batch) = input;
                using var request = _node.Request(HttpMethod.Post, batch ? "/topics/fuzz/unicode/events:batch" : "/topics/fuzz/unicode/events", Admin);
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _node.Http.SendAsync(request);
                AssertStatusIn(response, HttpStatusCode.Accepted, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
                if (response.StatusCode == HttpStatusCode.BadRequest
                    && (await response.Content.ReadAsStringAsync()) is var problem
                    && (problem.Contains("UTF-8", StringComparison.Ordinal) || problem.Contains("surrogate", StringComparison.Ordinal)))
                {
                    Interlocked.Increment(ref refused);
                }
            },
            print: input => Convert.ToHexString(input.Item1));

        // The barrage must reach the Unicode checks, not only the JSON grammar's.
        Assert.True(refused > 0, "No generated body was refused for its Unicode.");
    }

    [Fact]
    public Task Random_topic_names_never_get_a_5xx() => UnderBarrageAsync(
        Gen.Select(FuzzGen.TopicName, Gen.Int[0, 5], Gen.Bool),
        async input =>
        {
            var (topic, shape, escape) = input;
            var name = escape ? Uri.EscapeDataString(topic) : topic;
            var (method, path) = shape switch
            {
                0 => (HttpMethod.Post, $"/topics/{name}/events"),
                1 => (HttpMethod.Post, $"/topics/{name}/events:batch"),
                2 => (HttpMethod.Get, $"/topics/{name}/events"),
                3 => (HttpMethod.Get, $"/topics/{name}"),
                4 => (HttpMethod.Get, $"/events?topic={Uri.EscapeDataString(topic)}&topic=public/a"),
                _ => (HttpMethod.Delete, $"/topics/{name}/events"),
            };
            if (!Uri.TryCreate(_node.Address, path, out var uri))
            {
                uri = new Uri(_node.Address, $"/topics/{Uri.EscapeDataString(topic)}/events");
            }

            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Admin);
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent(shape == 1 ? """[{"data":1}]""" : """{"data":1}""", Encoding.UTF8, "application/json");
            }

            await SendAndAssertNo5xxAsync(request);
        });

    [Fact]
    public Task Random_headers_never_get_a_5xx() => UnderBarrageAsync(
        Gen.Select(FuzzGen.Headers, Gen.Bool),
        async input =>
        {
            var (headers, publish) = input;
            using var request = publish
                ? _node.Request(HttpMethod.Post, "/topics/public/headers/events", json: """{"data":1}""")
                : _node.Request(HttpMethod.Get, "/topics/public/headers/events");
            foreach (var (name, value) in headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content ??= new StringContent(string.Empty);
                    request.Content.Headers.Remove(name);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            await SendAndAssertNo5xxAsync(request);
        });

    [Fact]
    public Task Random_last_event_ids_never_get_a_5xx_and_the_stream_opens() => UnderBarrageAsync(
        Gen.Select(FuzzGen.LastEventId, Gen.Int[1, 3], Gen.Bool),
        async input =>
        {
            var (lastEventId, topics, inQuery) = input;
            var query = string.Join("&", Enumerable.Range(0, topics).Select(i => $"topic=fuzz/resume/{i}"));
            if (inQuery)
            {
                query += "&lastEventId=" + Uri.EscapeDataString(lastEventId);
            }

            var request = _node.Request(HttpMethod.Get, "/events?" + query, Admin);
            if (!inQuery)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            await using var stream = await SseClient.OpenAsync(_node.Http, request);
            Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);
        },
        iterations: Iterations / 2);

    [Fact]
    public Task Random_raw_requests_on_the_socket_never_get_a_5xx() => UnderBarrageAsync(
        FuzzGen.RawRequest,
        async bytes =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(_node.Address.Host, _node.Address.Port);
            var stream = client.GetStream();
            try
            {
                await stream.WriteAsync(bytes);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (IOException)
            {
                // The server may close on the first bad bytes, before the rest is sent.
            }

            var status = await ReadStatusLineAsync(stream);
            if (status.StartsWith("HTTP/1.1 505", StringComparison.Ordinal))
            {
                // Kestrel's protocol answer to a version it does not speak: the one 5xx that is the client's doing.
                var requestLine = Encoding.Latin1.GetString(bytes).Split("\r\n")[0];
                Assert.False(requestLine.EndsWith(" HTTP/1.1", StringComparison.Ordinal) || requestLine.EndsWith(" HTTP/1.0", StringComparison.Ordinal), $"505 to '{requestLine}'.");
            }
            else
            {
                Assert.False(status.StartsWith("HTTP/1.1 5", StringComparison.Ordinal), $"Answered '{status}'.");
            }
        },
        print: bytes => Encoding.Latin1.GetString(bytes).ReplaceLineEndings("\\r\\n"));

    private async Task UnderBarrageAsync<T>(Gen<T> gen, Func<T, Task> attack, int iterations = Iterations, Func<T, string>? print = null)
    {
        await using var healthy = await HealthySubscriber.OpenAsync(_node, Admin);
        var errorsBefore = _node.Log.Errors.Count();

        await gen.SampleAsync(
            async input =>
            {
                await attack(input);
                await healthy.PulseAsync();
            },
            iter: iterations,
            threads: Threads,
            print: print);

        await healthy.AssertReceivedEverythingAsync();
        using var live = await _node.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // Any error, whoever logs it (ASP.NET Core's unhandled exceptions, Fanout's actors,
        // Akka's supervisors), means a bad input got further than it should have.
        var errors = _node.Log.Errors.Skip(errorsBefore).ToList();
        Assert.True(errors.Count == 0, "The server logged errors:\n" + string.Join("\n", errors));
    }

    private async Task SendAndAssertNo5xxAsync(HttpRequestMessage request)
    {
        // Headers only: a subscription that opens is an SSE stream, which never ends by itself.
        using var response = await _node.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True((int)response.StatusCode < 500, $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}.");
    }

    private static void AssertStatusIn(HttpResponseMessage response, params HttpStatusCode[] expected) =>
        Assert.True(expected.Contains(response.StatusCode), $"Answered {(int)response.StatusCode}.");

    /// <summary>The first line the server sends, or empty when it closes without one.</summary>
    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var received = new List<byte>();
        var buffer = new byte[512];
        try
        {
            while (!received.Contains((byte)'\n'))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // Reset by the server after refusing the bytes: no status line.
        }

        return Encoding.Latin1.GetString([.. received]).Split('\n')[0];
    }

    public sealed class FuzzNode : IAsyncLifetime
    {
        private TestNode? _node;

        public TestNode Node => _node ?? throw new InvalidOperationException("Not started.");

        public async Task InitializeAsync() => _node = await TestNode.StartAsync(SecuredNode.Settings);

        public async Task DisposeAsync()
        {
            if (_node is not null)
            {
                await _node.DisposeAsync();
            }
        }
    }
}
