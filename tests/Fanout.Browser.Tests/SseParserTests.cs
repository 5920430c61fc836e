using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Fanout.Browser.Tests;

/// <summary>
/// The page's own SSE parser (js/sse.js), run in Chromium on a stream cut into chunks at
/// every possible point: what EventSource did for the page, it must do too.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SseParserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    // Feeds `text` to a parser in two chunks, split at every byte (inside UTF-8 sequences
    // too), and returns what each split gave.
    private const string Script = """
        async text => {
          const { SseParser } = await import('/js/sse.js');
          const runs = [];
          const bytes = new TextEncoder().encode(text);
          for (let cut = 0; cut <= bytes.length; cut++) {
            const events = [];
            const retries = [];
            const parser = new SseParser({ onEvent: e => events.push(e), onRetry: ms => retries.push(ms), lastEventId: 'start' });
            parser.push(bytes.slice(0, cut));
            parser.push(bytes.slice(cut));
            runs.push(JSON.stringify({ events, retries, lastEventId: parser.lastEventId }));
          }
          return runs;
        }
        """;

    [SkippableFact]
    public async Task Events_come_out_the_same_wherever_the_stream_is_cut()
    {
        Chromium.SkipUnlessInstalled();
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, fixture.Node.Url);
        await page.RunAsync("sse-parser", output, async () =>
        {
            const string stream =
                "\uFEFFretry: 300\r\n" +
                "id: e-0\r\nevent: fanout.connected\r\ndata: {\"resumed\":false}\r\n\r\n" +
                ": keepalive\n\n" +
                "id: e-1\revent: order.created\rdata: é\rdata:second line\r\r" +
                "id: e-2\ndata\n\n" +
                "event: fanout.lagged\ndata: {\"fromSeq\":3}\nunknown: field\nretry: 5x\n\n" +
                "id: e-3\n\n" +
                "id: e-4\nevent: cut.off\ndata: never dispatched";

            var runs = await page.Page.EvaluateAsync<string[]>(Script, stream);

            var expected = new
            {
                events = new object[]
                {
                    new { type = "fanout.connected", data = "{\"resumed\":false}", lastEventId = "e-0" },
                    new { type = "order.created", data = "é\nsecond line", lastEventId = "e-1" },
                    new { type = "message", data = "", lastEventId = "e-2" },
                    new { type = "fanout.lagged", data = "{\"fromSeq\":3}", lastEventId = "e-2" },
                },
                retries = new[] { 300 },
                // An id with no data still moves the last event id; an unfinished event does not.
                lastEventId = "e-3",
            };
            var want = JsonSerializer.SerializeToNode(expected);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(stream) + 1, runs.Length);
            for (var cut = 0; cut < runs.Length; cut++)
            {
                Assert.True(JsonNode.DeepEquals(want, JsonNode.Parse(runs[cut])), $"cut at {cut}: {runs[cut]}");
            }
        });
    }
}
