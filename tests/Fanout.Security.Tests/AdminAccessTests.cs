using System.Net;

namespace Fanout.Security.Tests;

/// <summary>With auth on, the operators' API needs a token whose fanout claim says "admin": true.</summary>
[Collection(SecuredNodeCollection.Name)]
public sealed class AdminAccessTests(SecuredNode fixture)
{
    private TestNode Node => fixture.Node;

    [Fact]
    public async Task Listing_subscribers_without_a_token_is_401()
    {
        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/admin/subscribers"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_that_may_publish_and_subscribe_everything_is_still_not_an_admin()
    {
        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/admin/subscribers", SecuredNode.Admin));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);

        using var kick = await Node.Http.SendAsync(Node.Request(HttpMethod.Delete, "/admin/subscribers/some-id", SecuredNode.Admin));
        await ProblemAssert.IsProblemAsync(kick, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_token_with_the_admin_permission_lists_subscribers()
    {
        var operatorToken = TestTokens.Grant(subject: "operator", admin: true);
        using var response = await Node.Http.SendAsync(Node.Request(HttpMethod.Get, "/admin/subscribers", operatorToken));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
    }
}
