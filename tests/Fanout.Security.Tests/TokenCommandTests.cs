using System.CommandLine;
using System.Net;
using System.Text.Json;
using Fanout.Server.Tokens;

namespace Fanout.Security.Tests;

/// <summary>
/// <c>Fanout.Server token ...</c>, run in-process as the node's Program runs it: the token it
/// prints opens exactly what it grants on a node with auth on, and without a key it says so
/// and exits 1.
/// </summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class TokenCommandTests(SecuredNode fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TestNode _node = fixture.Node;

    [Fact]
    public async Task A_minted_token_publishes_and_subscribes_where_it_grants_and_nowhere_else()
    {
        var (exit, token, errors) = await RunAsync(
            "token", "--publish", "orders/*", "--subscribe", "*", "--ttl", "30m", "--sub", "minted",
            $"--Fanout:Auth:SigningKey={TestTokens.Key}", "--Fanout:Auth:Audience", TestTokens.Audience);

        Assert.True(exit == 0, errors);
        Assert.Empty(errors);
        using var published = await _node.PublishAsync("orders/minted", token);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        using var refused = await _node.PublishAsync("users/minted", token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await using var stream = await SseClient.OpenAsync(_node.Http, _node.Request(HttpMethod.Get, "/topics/users/minted/events", token));
        Assert.Equal("fanout.connected", (await stream.NextAsync(Patience)).Event);
        using var admin = await _node.Http.SendAsync(_node.Request(HttpMethod.Get, "/admin/subscribers", token));
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);

        var payload = TestTokens.Payload(token);
        Assert.Equal("minted", payload["sub"]!.GetValue<string>());
        Assert.Equal(TestTokens.Audience, payload["aud"]!.GetValue<string>());
        Assert.Equal(30 * 60, payload["exp"]!.GetValue<long>() - payload["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_admin_switch_opens_the_operators_api()
    {
        var (exit, token, errors) = await RunAsync(
            "token", "--admin", $"--Fanout:Auth:SigningKey={TestTokens.RotatedKey}", $"--Fanout:Auth:Audience={TestTokens.Audience}");

        Assert.True(exit == 0, errors);
        using var admin = await _node.Http.SendAsync(_node.Request(HttpMethod.Get, "/admin/subscribers", token));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        using var publish = await _node.PublishAsync("orders/admin-only", token);
        Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
    }

    [Fact]
    public async Task The_unlimited_switch_grants_unthrottled_publishing_and_needs_a_publish_pattern()
    {
        var (exit, token, errors) = await RunAsync(
            "token", "--publish", "orders/*", "--unlimited", $"--Fanout:Auth:SigningKey={TestTokens.Key}", $"--Fanout:Auth:Audience={TestTokens.Audience}");

        Assert.True(exit == 0, errors);
        Assert.True(TestTokens.Payload(token)["fanout"]!["unlimited"]!.GetValue<bool>());

        var (refusedExit, _, refusal) = await RunAsync(
            "token", "--subscribe", "*", "--unlimited", $"--Fanout:Auth:SigningKey={TestTokens.Key}");
        Assert.Equal(1, refusedExit);
        Assert.Contains("--unlimited lifts the publish rate limit: give --publish too.", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_signing_key_it_says_so_and_exits_1()
    {
        var (exit, token, errors) = await RunAsync("token", "--publish", "orders/*");

        Assert.Equal(1, exit);
        Assert.Empty(token);
        Assert.Contains("Fanout:Auth:SigningKey", Assert.Single(Lines(errors)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--publish", "a//b", "--publish 'a//b' is not a topic name")]
    [InlineData("--ttl", "0s", "--ttl must be longer than zero")]
    [InlineData("--Fanout:Auth:SigningKey", "short", "at least 32 bytes")]
    public async Task Bad_arguments_are_one_line_each_and_exit_1(string option, string value, string expected)
    {
        var (exit, token, errors) = await RunAsync("token", "--subscribe", "*", $"--Fanout:Auth:SigningKey={TestTokens.Key}", option, value);

        Assert.Equal(1, exit);
        Assert.Empty(token);
        Assert.Contains(expected, Assert.Single(Lines(errors)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_any_grant_is_refused()
    {
        var (exit, _, errors) = await RunAsync("token", $"--Fanout:Auth:SigningKey={TestTokens.Key}");

        Assert.Equal(1, exit);
        Assert.Contains("would grant nothing", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Token, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await TokenCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().Trim(), error.ToString().Trim());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
