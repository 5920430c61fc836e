using Microsoft.Playwright;

namespace Fanout.Browser.Tests;

/// <summary>
/// Debian's Chromium, driven by Playwright through <see cref="ExecutablePath"/>. Playwright
/// never downloads a browser here (no <c>playwright install</c>); without the package the
/// browser tests report as skipped with the command that installs it.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";
    public const string InstallCommand = "apt-get install -y chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static void SkipUnlessInstalled() =>
        Skip.IfNot(IsInstalled, $"Chromium is not installed at {ExecutablePath}. Install it with `{InstallCommand}` (Debian; .ci/run does this) to run the browser tests.");

    /// <summary>
    /// Headless, no sandbox (tests run as root), and nothing that talks to the network on its
    /// own. Playwright gives every launch a fresh temporary profile (user-data-dir) and removes it on close.
    /// </summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        });
}
