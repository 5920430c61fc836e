using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Fanout.Browser.Tests;

/// <summary>The page against a node with auth on: refused without a token, working once one is entered.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuthTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task With_auth_on_the_page_explains_the_refusal_and_works_once_a_token_is_entered()
    {
        Chromium.SkipUnlessInstalled();
        await using var node = await DashboardNode.StartAsync($"--Fanout:Auth:SigningKey={Tokens.SigningKey}");
        await using var page = await DashboardPage.OpenAsync(fixture.Browser, node.Url);
        await page.RunAsync("auth-on", output, async () =>
        {
            const string topic = "dashboard/secured";
            await page.Page.FillAsync("#tail-topic", topic);
            await page.Page.ClickAsync("#tail-start");
            await Expect(page.TailState).ToHaveAttributeAsync("data-state", "closed");
            await Expect(page.Rows("closed").Last).ToContainTextAsync("HTTP 401");

            await page.Page.FillAsync("#token", Tokens.Grant(publish: ["dashboard/*"], subscribe: ["dashboard/*"]));
            await page.Page.ClickAsync("#token-form button[type=submit]");
            await Expect(page.Rows("connected")).ToHaveCountAsync(1);
            await Expect(page.TailState).ToHaveAttributeAsync("data-state", "open");

            await page.Page.FillAsync("#publish-topic", topic);
            await page.Page.FillAsync("#publish-data", "{\"secured\":true}");
            await page.Page.ClickAsync("#publish-send");
            await Expect(page.Page.Locator("#publish-result")).ToContainTextAsync("accepted: seq 1");
            await Expect(page.Rows("event")).ToContainTextAsync("{\"secured\":true}");
            await Expect(page.Page.Locator($"#topics-body tr[data-topic='{topic}']")).ToBeVisibleAsync();

            // Outside its grant the token is refused, and the page says so.
            await page.Page.FillAsync("#publish-topic", "elsewhere");
            await page.Page.ClickAsync("#publish-send");
            await Expect(page.Page.Locator("#publish-result")).ToContainTextAsync("HTTP 403");
        });
    }
}
