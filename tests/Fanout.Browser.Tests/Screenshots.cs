using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fanout.Browser.Tests;

/// <summary>Screenshots as test artifacts, in a screenshots folder beside the test assembly.</summary>
public static class Screenshots
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name, ITestOutputHelper output)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 10_000 });
            output.WriteLine($"screenshot: {path}");
        }
        catch (PlaywrightException ex)
        {
            // A failed screenshot must not hide the test's own outcome.
            output.WriteLine($"screenshot {path} failed: {ex.Message}");
        }

        return path;
    }
}
