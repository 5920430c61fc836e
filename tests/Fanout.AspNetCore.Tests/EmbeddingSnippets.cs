using Akka.Actor;
using Akka.Hosting;
using Fanout.AspNetCore.Configuration;
using Fanout.Client;

namespace Fanout.AspNetCore.Tests;

/// <summary>
/// The code of docs/embedding.md: each <c>#region snippet:NAME</c> is the page's block after
/// <c>&lt;!-- snippet: NAME --&gt;</c> (<see cref="EmbeddingSnippetTests"/> checks they are the
/// same text), so every snippet on the page compiles; the tests also run them in an app.
/// </summary>
public static class EmbeddingSnippets
{
    /// <summary>An app's own actor, for the snippets that share the hub's actor system.</summary>
    public sealed class Greeter : ReceiveActor
    {
        public Greeter() => Receive<string>(name => Sender.Tell($"hello {name}"));
    }

    public static void AddHub(WebApplicationBuilder builder)
    {
        #region snippet:add
        builder.Services.AddFanout(builder.Configuration.GetSection("Fanout"));
        #endregion
    }

    public static void MapHub(WebApplication app)
    {
        #region snippet:map
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // Fanout's publish limit (Fanout:Limits:PublishPermitLimit) needs it

        app.MapFanout("/hub");
        #endregion
    }

    public static void GuardHub(WebApplicationBuilder builder)
    {
        #region snippet:policies
        builder.Services.AddAuthorization(options =>
            options.AddPolicy("hub-users", policy => policy.RequireAuthenticatedUser()));
        builder.Services.AddCors(options =>
            options.AddPolicy("hub-origins", policy => policy.WithOrigins("https://app.example").AllowAnyHeader()));
        #endregion
    }

    public static RouteGroupBuilder MapGuardedHub(WebApplication app)
    {
        #region snippet:group
        var hub = app.MapFanout("/hub")
            .RequireAuthorization("hub-users")
            .RequireCors("hub-origins");
        #endregion
        return hub;
    }

    public static void AddHubWithOwnActors(WebApplicationBuilder builder)
    {
        #region snippet:own-actors
        builder.Services.AddFanout(builder.Configuration.GetSection("Fanout"), (akka, provider) =>
            akka.WithActors((system, registry) => registry.Register<Greeter>(system.ActorOf(Props.Create<Greeter>(), "greeter"))));
        #endregion
    }

    public static void AddHubToExistingAkka(WebApplicationBuilder builder)
    {
        #region snippet:existing-akka
        var fanout = FanoutSettings.Load(builder.Configuration.GetSection("Fanout"));
        builder.Services.AddFanoutEndpointServices(fanout);
        builder.Services.AddAkka(FanoutNodeDefaults.ActorSystemName, (akka, provider) =>
        {
            akka.WithFanoutNode(fanout, builder.Configuration);
            akka.WithActors((system, registry) => registry.Register<Greeter>(system.ActorOf(Props.Create<Greeter>(), "greeter")));
        });
        #endregion
    }

    public static FanoutClient ClientOfPrefixedHub()
    {
        #region snippet:client
        var client = new FanoutClient(new Uri("http://127.0.0.1:5080/hub/"));
        #endregion
        return client;
    }
}
