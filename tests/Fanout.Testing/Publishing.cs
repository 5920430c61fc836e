using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fanout.Testing;

public static class Publishing
{
    /// <summary>Publishes <c>{"data": n}</c> and returns the assigned seq.</summary>
    public static async Task<long> PublishAsync(this HttpClient http, string topic, long n)
    {
        using var response = await http.PostAsync(
            $"/topics/{topic}/events",
            JsonContent.Create(new { data = n }));
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Publish answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("seq").GetInt64();
    }
}
