using System.Security.Claims;
using Fanout.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace EmbeddedHub;

/// <summary>
/// The app: its own cookie sign-in (<c>POST /login</c>), a page of its own, and the Fanout hub
/// mapped below <c>/hub</c> as a route group that only signed-in users reach.
/// </summary>
public static class HubApp
{
    /// <summary>The app's authorization policy that guards the hub's route group.</summary>
    public const string SignedIn = "signed-in";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json is read from beside the executable, wherever the app is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        // The hub: its actor system, topics and store, configured by the "Fanout" section.
        builder.Services.AddFanout(builder.Configuration.GetSection("Fanout"));

        // The app's own sign-in: a cookie, answering 401 (not a redirect) to API calls without one.
        builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "hub-session";
                options.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization(options =>
            options.AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser()));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // Fanout's publish rate limit (Fanout:Limits:PublishPermitLimit)

        app.MapGet("/", () => "EmbeddedHub: POST /login?user=NAME, then use /hub/topics/{topic}/events.");

        // A sample sign-in: any user name is accepted. A real app checks a password or an
        // external identity provider here.
        app.MapPost("/login", async (string user, HttpContext context) =>
        {
            if (string.IsNullOrWhiteSpace(user))
            {
                return Results.Problem(title: "A user name is required.", statusCode: StatusCodes.Status400BadRequest);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.NoContent();
        });
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        });

        // The whole Fanout contract below /hub, reachable only with the app's cookie.
        app.MapFanout("/hub").RequireAuthorization(SignedIn);
        return app;
    }
}
