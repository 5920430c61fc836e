using System.Net;
using System.Text.Json;

namespace Fanout.Security.Tests;

public static class ProblemAssert
{
    /// <summary>Asserts an RFC 9457 answer with <paramref name="status"/>; returns its title.</summary>
    public static async Task<string> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        var title = json.RootElement.GetProperty("title").GetString();
        Assert.False(string.IsNullOrWhiteSpace(title));
        return title!;
    }

    public static int RetryAfterSeconds(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        Assert.NotNull(retryAfter);
        Assert.NotNull(retryAfter.Delta);
        Assert.True(retryAfter.Delta.Value.TotalSeconds >= 1, "Retry-After is at least one second.");
        return (int)retryAfter.Delta.Value.TotalSeconds;
    }
}
