using System.Net.ServerSentEvents;
using Fanout.Testing;

namespace Fanout.Mercure.Tests;

/// <summary>Publishing and subscribing as a Mercure client does it: form posts and an SSE GET of <c>/.well-known/mercure</c>.</summary>
public static class Mercure
{
    public const string Path = "/.well-known/mercure";

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, params (string Name, string Value)[] fields) =>
        http.PostAsync(Path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    /// <summary>Publishes and returns the id the hub answered with; fails on anything but 200.</summary>
    public static async Task<string> PublishAsync(HttpClient http, params (string Name, string Value)[] fields)
    {
        using var response = await PostAsync(http, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Publish answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public static string Query(params string[] selectors) =>
        Path + "?" + string.Join("&", selectors.Select(s => "topic=" + Uri.EscapeDataString(s)));

    public static Task<SseStream> SubscribeAsync(HttpClient http, string[] selectors, string? lastEventId = null, string extraQuery = "") =>
        SseStream.OpenAsync(http, Query(selectors) + extraQuery, lastEventId);

    /// <summary>The ids of the next <paramref name="count"/> updates.</summary>
    public static async Task<List<SseItem<string>>> NextAsync(SseStream stream, int count)
    {
        var items = new List<SseItem<string>>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(await stream.NextAsync());
        }

        return items;
    }
}
