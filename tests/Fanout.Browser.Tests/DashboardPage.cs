using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fanout.Browser.Tests;

/// <summary>One row of the live tail as the page marks it up (data-* attributes).</summary>
public sealed record TailRow(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("seq")] string? Seq,
    [property: JsonPropertyName("fromSeq")] string? FromSeq,
    [property: JsonPropertyName("toSeq")] string? ToSeq,
    [property: JsonPropertyName("dropped")] string? Dropped,
    [property: JsonPropertyName("resumed")] string? Resumed);

public sealed record ConsoleEntry(string Type, string Text, string Location);

/// <summary>The dashboard in its own browser context, with every console message and page error recorded.</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<ConsoleEntry> _console = new();

    private DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => Record(new ConsoleEntry(message.Type, message.Text, message.Location));
        page.PageError += (_, error) => Record(new ConsoleEntry("pageerror", error, string.Empty));
    }

    public IPage Page { get; }

    public ILocator TailRows => Page.Locator("#tail-log > li");

    public ILocator TailState => Page.Locator("#tail-state");

    /// <summary>Opens the page; <paramref name="beforeLoad"/> may route requests first.</summary>
    public static async Task<DashboardPage> OpenAsync(IBrowser browser, Uri node, Func<IPage, Task>? beforeLoad = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(context, page);
        if (beforeLoad is not null)
        {
            await beforeLoad(page);
        }

        await page.GotoAsync(node.ToString());
        return dashboard;
    }

    /// <summary>Console errors and page errors, except those <paramref name="expected"/> accepts.</summary>
    public IReadOnlyList<ConsoleEntry> Errors(Func<ConsoleEntry, bool>? expected = null)
    {
        lock (_console)
        {
            return _console.Where(e => e.Type is "error" or "pageerror" && !(expected?.Invoke(e) ?? false)).ToList();
        }
    }

    public ILocator Rows(string kind) => Page.Locator($"#tail-log > li[data-kind='{kind}']");

    public ILocator EventRow(string id) => Page.Locator($"#tail-log > li[data-kind='event'][data-id='{id}']");

    /// <summary>Tails <paramref name="topic"/> through the form and waits for its fanout.connected row.</summary>
    public async Task TailAsync(string topic)
    {
        var connectedBefore = await Rows("connected").CountAsync();
        await Page.FillAsync("#tail-topic", topic);
        await Page.ClickAsync("#tail-start");
        await Assertions.Expect(Rows("connected")).ToHaveCountAsync(connectedBefore + 1);
        await Assertions.Expect(TailState).ToHaveAttributeAsync("data-state", "open");
    }

    public async Task<IReadOnlyList<TailRow>> ReadTailAsync()
    {
        var rows = await TailRows.EvaluateAllAsync<JsonElement>("rows => rows.map(row => ({ ...row.dataset }))");
        return rows.Deserialize<TailRow[]>()!;
    }

    /// <summary>
    /// Runs a test's browser steps and saves a screenshot afterwards, named after the test
    /// (with "-failed" when a step failed), so every run leaves pictures behind.
    /// </summary>
    public async Task RunAsync(string name, ITestOutputHelper output, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            await Screenshots.SaveAsync(Page, name + "-failed", output);
            output.WriteLine("console: " + string.Join(" | ", _console.Select(e => $"{e.Type}: {e.Text} @ {e.Location}")));
            throw;
        }

        await Screenshots.SaveAsync(Page, name, output);
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Record(ConsoleEntry entry)
    {
        lock (_console)
        {
            _console.Add(entry);
        }
    }
}
