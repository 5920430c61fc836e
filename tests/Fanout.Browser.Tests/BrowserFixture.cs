using Microsoft.Playwright;

namespace Fanout.Browser.Tests;

/// <summary>
/// One Playwright driver, one Chromium and one node for every browser test; each test
/// opens its own browser context. Nothing starts when Chromium is missing: the tests skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DashboardNode? _node;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not running; call Chromium.SkipUnlessInstalled() first.");

    /// <summary>A node with default settings, shared by the tests that need nothing special.</summary>
    public DashboardNode Node => _node ?? throw new InvalidOperationException("The shared node is not running; call Chromium.SkipUnlessInstalled() first.");

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            return;
        }

        // Generous for a 2-core machine that runs other test assemblies alongside.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        _node = await DashboardNode.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The browser tests run one after another: one Chromium, and timing-sensitive stalls stay undisturbed.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
