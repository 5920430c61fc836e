using System.Net;
using System.Text.Json;

namespace Fanout.Server.Tests.Infrastructure;

/// <summary>Checks an RFC 9457 answer: status, media type, and a title that says what was wrong.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string titleContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        var title = problem.GetProperty("title").GetString();
        Assert.False(string.IsNullOrWhiteSpace(title), body);
        Assert.Contains(titleContains, title, StringComparison.OrdinalIgnoreCase);
        return problem;
    }
}
