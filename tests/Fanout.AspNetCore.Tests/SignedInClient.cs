using System.Net;
using Fanout.Client;

namespace Fanout.AspNetCore.Tests;

/// <summary>
/// A user of an app that signs in with a cookie: <c>POST /login</c>, then a <see cref="FanoutClient"/>
/// (through IHttpClientFactory) whose requests carry the app's cookie.
/// </summary>
public sealed class SignedInClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SignedInClient(ServiceProvider services, HttpClient http)
    {
        _services = services;
        Http = http;
    }

    /// <summary>Requests with the cookie, relative to the app's root.</summary>
    public HttpClient Http { get; }

    public FanoutClient Fanout => _services.GetRequiredService<FanoutClient>();

    public static async Task<SignedInClient> SignInAsync(Uri app, string hubPath, string user)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = app, Timeout = TimeSpan.FromSeconds(10) };
        using (var login = await http.PostAsync($"/login?user={user}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        }

        var services = new ServiceCollection();
        services.AddFanoutClient(options =>
        {
            options.BaseAddress = new Uri(app, hubPath);
            options.ReconnectDelay = TimeSpan.FromMilliseconds(200);
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { CookieContainer = cookies });
        return new SignedInClient(services.BuildServiceProvider(), http);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Http.Dispose();
    }
}
