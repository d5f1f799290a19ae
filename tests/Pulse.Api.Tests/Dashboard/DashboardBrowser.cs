using Microsoft.Playwright;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// Debian's Chromium (scripts/test.sh installs it and sets PULSE_TEST_CHROMIUM), headless, driven by Playwright, with a
/// page on a Pulse process that records every console error, uncaught exception, failed request and HTTP error answer.
/// Without PULSE_TEST_CHROMIUM the tests fail (they never pass without a browser), as the Prometheus test does.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    /// <summary>How long an expectation waits (Playwright polls): generous, for a busy machine; a refresh takes 10 s.</summary>
    public const float Timeout = 30_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Problems.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) => Problems.Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Problems.Add($"HTTP {response.Status}: {response.Url}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors, page errors, failed requests and 4xx/5xx answers, in order.</summary>
    public List<string> Problems { get; } = [];

    public static async Task<DashboardBrowser> LaunchAsync(Uri pulse)
    {
        Assertions.SetDefaultExpectTimeout(Timeout);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = TestEnvironment.Chromium,
                Headless = true,
                // Tests run as root in CI, where Chromium's sandbox cannot start; /dev/shm may be small.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
                Timeout = 60_000,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = pulse.ToString(),
                ViewportSize = new ViewportSize { Width = 1280, Height = 1800 },
                Locale = "en-US",
                TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(Timeout);
            context.SetDefaultNavigationTimeout(60_000);
            return new DashboardBrowser(playwright, browser, context, await context.NewPageAsync());
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public ILocator Row(string table, string text) => Page.Locator($"#{table} tr").Filter(new LocatorFilterOptions { HasText = text });

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
