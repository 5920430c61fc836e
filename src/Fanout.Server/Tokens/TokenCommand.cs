using System.CommandLine;
using Fanout.AspNetCore.Auth;

namespace Fanout.Server.Tokens;

/// <summary>
/// <c>Fanout.Server token --publish 'orders/*' --subscribe '*' [--admin] [--unlimited] [--ttl 1h]</c>: prints a
/// token signed with the node's configured key, for development and scripts. The key comes
/// from the node's own configuration sources (appsettings.json beside the executable,
/// <c>Fanout__Auth__SigningKey</c> in the environment, <c>--Fanout:Auth:SigningKey=...</c>
/// among the arguments), so a token minted here is one that node accepts.
/// </summary>
public static class TokenCommand
{
    public const string Name = "token";

    private static readonly Option<string[]> Publish = new("--publish")
    {
        Description = "Topic pattern the token may publish to (a name, 'prefix/*' or '*'); repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string[]> Subscribe = new("--subscribe")
    {
        Description = "Topic pattern the token may subscribe to and read; repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<bool> Admin = new("--admin") { Description = "Grant the operators' API (/admin/*, /metrics)." };

    private static readonly Option<bool> Unlimited = new("--unlimited")
    {
        Description = "Publishes are not throttled (Fanout:Limits:PublishPermitLimit): for a backend that publishes for all its users.",
    };

    private static readonly Option<string> Subject = new("--subject", "--sub")
    {
        Description = "The token's subject ('sub'): the name publish rates are counted by.",
        DefaultValueFactory = _ => "dev",
    };

    private static readonly Option<TimeSpan> Ttl = new("--ttl")
    {
        Description = "Lifetime: 90s, 30m, 1h, 7d or hh:mm:ss.",
        DefaultValueFactory = _ => TimeSpan.FromHours(1),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (TokenLifetime.TryParse(text, out var lifetime))
            {
                return lifetime;
            }

            result.AddError($"--ttl '{text}' is not a lifetime like 90s, 30m, 1h, 7d or 01:30:00.");
            return default;
        },
    };

    /// <summary>The node's command line: <c>token</c> is its one subcommand (anything else starts the node).</summary>
    public static RootCommand Create()
    {
        var token = new Command(Name, "Print a bearer token signed with the configured Fanout:Auth:SigningKey.")
        {
            Publish, Subscribe, Admin, Unlimited, Subject, Ttl,
        };

        // Configuration arguments (--Fanout:Auth:SigningKey=...) are not options of the command:
        // they go to the configuration, as they do when the node starts.
        token.TreatUnmatchedTokensAsErrors = false;
        token.SetAction(MintAsync);
        return new RootCommand("Fanout node. Without a command it starts the node; 'token' mints a development token.") { token };
    }

    public static bool IsInvoked(string[] args) => args is [Name, ..];

    private static async Task<int> MintAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var grant = new TokenGrant(
            parse.GetValue(Publish) ?? [],
            parse.GetValue(Subscribe) ?? [],
            parse.GetValue(Admin),
            parse.GetValue(Subject) ?? string.Empty,
            parse.GetValue(Ttl),
            parse.GetValue(Unlimited));

        var problems = new List<string>();
        var auth = new AuthSettings();
        try
        {
            NodeConfiguration(parse.UnmatchedTokens).GetSection("Fanout:Auth").Bind(auth);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's words name the key whose value does not convert.
            problems.Add(ex.Message);
        }

        problems.AddRange(TokenMinter.Validate(auth, grant));
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem.AsMemory(), cancellationToken);
            }

            return 1;
        }

        await output.WriteLineAsync(TokenMinter.Mint(auth, grant, DateTimeOffset.UtcNow).AsMemory(), cancellationToken);
        return 0;
    }

    /// <summary>The configuration a node started with <paramref name="args"/> would read (see <see cref="FanoutNode.Build"/>).</summary>
    private static IConfiguration NodeConfiguration(IReadOnlyList<string> args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args],
            ContentRootPath = AppContext.BaseDirectory,
        }).Configuration;
}
