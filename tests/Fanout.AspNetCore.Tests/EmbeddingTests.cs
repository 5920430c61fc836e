using System.Net;
using System.Security.Claims;
using Fanout.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Fanout.Testing;

namespace Fanout.AspNetCore.Tests;

/// <summary>The hub inside a plain ASP.NET Core app: <c>AddFanout</c> and <c>MapFanout("/hub")</c>, nothing of Fanout.Server.</summary>
public sealed class EmbeddingTests
{
    [Fact]
    public async Task The_contract_is_served_below_the_prefix_publish_subscribe_and_resume()
    {
        await using var hub = await EmbeddedApp.StartAsync(
            EmbeddedApp.Settings(),
            builder => builder.Services.AddFanout(builder.Configuration.GetSection("Fanout")),
            app => app.MapFanout("/hub"));
        using var client = new FanoutClient(new Uri(hub.Url, "/hub/"));
        using var http = new HttpClient { BaseAddress = hub.Url, Timeout = TimeSpan.FromSeconds(10) };
        const string topic = "embedded/orders";

        var first = await client.PublishAsync(topic, 1);
        await client.PublishAsync(topic, 2);
        await client.PublishAsync(topic, 3);

        // Resumed after the first event: the replay, then live.
        await using (var reading = new Reading(client, topic, first.Id))
        {
            Assert.Equal(2, (await reading.NextAsync()).Data.GetInt64());
            Assert.Equal(3, (await reading.NextAsync()).Data.GetInt64());
            var live = await client.PublishAsync(topic, 4);
            var item = await reading.NextAsync();
            Assert.Equal((live.Id, 4L), (item.Id, item.Data.GetInt64()));
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/hub/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/hub/readyz")).StatusCode);
        Assert.Contains("\"lastSeq\":4", await http.GetStringAsync("/hub/topics/embedded%2Forders"));

        // Nothing of Fanout's outside the prefix.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/topics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/topics/embedded/orders/events", new StringContent("{\"data\":1}"))).StatusCode);
    }

    [Fact]
    public async Task A_policy_added_to_the_returned_group_guards_every_endpoint()
    {
        await using var hub = await EmbeddedApp.StartAsync(EmbeddedApp.Settings(), AddHubBehindCookie, app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapPost("/login", SignInAsync);
            app.MapFanout("/hub").RequireAuthorization(SignedIn);
        });
        using var anonymous = new HttpClient { BaseAddress = hub.Url, Timeout = TimeSpan.FromSeconds(10) };

        foreach (var path in new[] { "/hub/healthz", "/hub/topics", "/hub/topics/guarded/events", "/hub/events?topic=guarded", "/hub/admin/subscribers" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hub/topics/guarded/events", Json("{\"data\":1}"))).StatusCode);

        await using var user = await SignedInClient.SignInAsync(hub.Url, "/hub/", "alice");
        var published = await user.Fanout.PublishAsync("guarded", 1);
        await using var reading = new Reading(user.Fanout, "guarded");
        reading.Open();
        var second = await PublishWhenSubscribedAsync(user, "guarded", 2);
        Assert.Equal(second.Id, (await reading.NextAsync()).Id);
        Assert.Equal(1, published.Seq);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fanout_tokens_and_the_apps_cookie_work_side_by_side(bool fanoutRegisteredFirst)
    {
        var settings = EmbeddedApp.Settings(("Fanout:Auth:SigningKey", SigningKey));
        await using var hub = await EmbeddedApp.StartAsync(settings, builder => AddHubBehindCookie(builder, fanoutRegisteredFirst), app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapPost("/login", SignInAsync);
            app.MapGet("/me", (HttpContext context) => context.User.Identity!.Name).RequireAuthorization(SignedIn);
            app.MapFanout("/hub");
        });

        // The app's default scheme stays its cookie: its own endpoints see the signed-in user.
        await using var user = await SignedInClient.SignInAsync(hub.Url, "/hub/", "alice");
        Assert.Equal("alice", await user.Http.GetStringAsync("/me"));

        // The hub checks its bearer tokens whatever the app's default is: a cookie grants no topic.
        var refused = await Assert.ThrowsAsync<FanoutProblemException>(() => user.Fanout.PublishAsync("orders/1", 1));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);

        var auth = new Fanout.AspNetCore.Auth.AuthSettings { SigningKey = SigningKey };
        var token = Fanout.Server.Tokens.TokenMinter.Mint(
            auth, new Fanout.Server.Tokens.TokenGrant(["orders/*"], ["orders/*"], false, "svc", TimeSpan.FromMinutes(5)), DateTimeOffset.UtcNow);
        using var client = new FanoutClient(new Uri(hub.Url, "/hub/"), _ => ValueTask.FromResult<string?>(token));
        var first = await client.PublishAsync("orders/1", 1);
        var second = await client.PublishAsync("orders/1", 2);
        var forbidden = await Assert.ThrowsAsync<FanoutProblemException>(() => client.PublishAsync("invoices/1", 1));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        await using var reading = new Reading(client, "orders/1", first.Id);
        Assert.Equal(second.Id, (await reading.NextAsync()).Id);
    }

    [Fact]
    public async Task The_publish_rate_limit_applies_in_an_app_that_uses_the_rate_limiter()
    {
        // Publishers on this host are exempt by default; these tests publish from it.
        var settings = EmbeddedApp.Settings(
            ("Fanout:Limits:PublishPermitLimit", "2"), ("Fanout:Limits:PublishWindowSeconds", "60"), ("Fanout:Limits:UnlimitedLoopbackPublishers", "false"));
        await using var hub = await EmbeddedApp.StartAsync(settings, b => b.Services.AddFanout(b.Configuration.GetSection("Fanout")), app =>
        {
            app.UseRateLimiter();
            app.MapFanout("/hub");
        });
        using var http = new HttpClient { BaseAddress = hub.Url, Timeout = TimeSpan.FromSeconds(10) };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await http.PostAsync("/hub/topics/limited/events", Json("{\"data\":1}"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task An_app_may_use_the_rate_limiter_while_the_publish_limit_is_off()
    {
        var settings = EmbeddedApp.Settings(("Fanout:Limits:PublishPermitLimit", "0"));
        await using var hub = await EmbeddedApp.StartAsync(settings, b => b.Services.AddFanout(b.Configuration.GetSection("Fanout")), app =>
        {
            app.UseRateLimiter();
            app.MapFanout();
        });
        using var http = new HttpClient { BaseAddress = hub.Url, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync("/topics/unlimited/events", Json("{\"data\":1}"))).StatusCode);
    }

    private const string SignedIn = "signed-in";
    private const string SigningKey = "embedding-tests-signing-key-0123456789";

    private static void AddHubBehindCookie(WebApplicationBuilder builder) => AddHubBehindCookie(builder, fanoutRegisteredFirst: true);

    /// <summary>The app's cookie as its default scheme, whether it names it before or after <c>AddFanout</c>.</summary>
    private static void AddHubBehindCookie(WebApplicationBuilder builder, bool fanoutRegisteredFirst)
    {
        if (fanoutRegisteredFirst)
        {
            builder.Services.AddFanout(builder.Configuration.GetSection("Fanout"));
        }

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options => options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            });
        builder.Services.AddAuthorization(options => options.AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser()));
        if (!fanoutRegisteredFirst)
        {
            builder.Services.AddFanout(builder.Configuration.GetSection("Fanout"));
        }
    }

    private static async Task<IResult> SignInAsync(string user, HttpContext context)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.NoContent();
    }

    /// <summary>Publishes once the subscription is connected (the topic reports a subscriber), so the event arrives live.</summary>
    private static async Task<PublishResult> PublishWhenSubscribedAsync(SignedInClient user, string topic, int data)
    {
        await Eventually.HoldsAsync(
            async () => (await user.Http.GetStringAsync($"/hub/topics/{topic}")).Contains("\"subscribers\":1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), $"a subscriber on {topic}");
        return await user.Fanout.PublishAsync(topic, data);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
