using System.Net;
using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>
/// The dashboard at / in a real Chromium against a real Pulse process listening on a free port (the page needs a
/// server; a process has its own meters, as <see cref="Operations.MetricsTests"/> explains). Each test has its own
/// Pulse and database, so the page's numbers are exactly what the test sent.
/// </summary>
public abstract class DashboardBrowserTests(ProcessStorage storage) : DashboardProcessTest(storage)
{
    [Fact]
    public async Task The_page_shows_exactly_what_was_sent_with_no_console_errors_or_failed_requests()
    {
        await SeedAsync(Client);

        await Page.GotoAsync("/");

        await Expect(Page.Locator("#users-count")).ToHaveTextAsync("3");
        await Expect(Page.Locator("#campaigns-count")).ToHaveTextAsync("2");
        await Expect(Page.Locator("#crm-5m")).ToHaveTextAsync("4");
        // 5 clicks, 3 likes (the like toggles), 3 searches
        await Expect(Page.Locator("#tracked-5m")).ToHaveTextAsync("11");
        await Expect(Browser.Row("keywords", "고양이").Locator("td.num")).ToHaveTextAsync("2");
        await Expect(Browser.Row("keywords", "커피 ☕")).ToContainTextAsync("1");
        await Expect(Browser.Row("posts", "우리 고양이 🐱").Locator("td.num")).ToHaveTextAsync("2");
        await Expect(Browser.Row("posts", "Release day 🚀").Locator("td.num")).ToHaveTextAsync("1");
        await Expect(Browser.Row("campaigns", "봄 세일 🌸").Locator("td.num")).ToHaveTextAsync("2");
        await Expect(Browser.Row("campaigns", "newsletter").Locator("td.num")).ToHaveTextAsync("1");
        await Expect(Page.Locator("#series-total")).ToHaveTextAsync("5 in 60 minutes");
        await Expect(Page.Locator("#explorer-rows tr")).ToHaveCountAsync(4);
        await Expect(Page.Locator("#dependencies li").First).ToContainTextAsync("up");
        await Expect(Page.Locator(".u-legend").First).ToContainTextAsync("CLICK");
        await Expect(Page.Locator("#key-panel")).ToBeHiddenAsync();
        await Expect(Page.Locator("a[href='/docs']").First).ToBeVisibleAsync();

        Assert.Empty(Browser.Problems);
    }

    /// <summary>3 users, 2 campaigns (4 CRM events, 3 linked), 5 clicks on component 1002, 2 posts liked 2 and 1 times, 3 searches.</summary>
    internal static async Task SeedAsync(HttpClient client)
    {
        for (var i = 1; i <= 3; i++)
        {
            await client.CreateUserAsync($"user-{i}");
        }

        await client.CreateCampaignAsync("봄 세일 🌸", "action");
        await client.CreateCampaignAsync("newsletter", "channel");
        await client.SaveEventAsync("purchase", "user-1", "봄 세일 🌸", ("action", "buy"));
        await client.SaveEventAsync("purchase", "user-2", "봄 세일 🌸", ("action", "buy"));
        await client.SaveEventAsync("open", "user-3", "newsletter", ("channel", "email"));
        await client.SaveEventAsync("visit", "user-1", null, ("page", "홈"));
        for (var i = 0; i < 5; i++)
        {
            await ExpectAsync(HttpStatusCode.Created, await client.PostAsync("/api/events", new { eventType = "CLICK", sessionId = "s", metadata = new { componentId = 1002 } }));
        }

        var cat = (await client.PostAsync("/api/posts", new { userId = 1, content = "우리 고양이 🐱", hashtags = new[] { "고양이" } })).Body["postId"].Long();
        var release = (await client.PostAsync("/api/posts", new { userId = 2, content = "Release day 🚀", hashtags = new[] { "커피 ☕" } })).Body["postId"].Long();
        foreach (var (post, user) in new[] { (cat, 101), (cat, 102), (release, 101) })
        {
            await ExpectAsync(HttpStatusCode.OK, await client.PostAsync("/api/posts/like", new { postId = post, userId = user }));
        }

        foreach (var (user, keyword) in new[] { (1, "고양이"), (2, "고양이"), (3, "커피 ☕") })
        {
            var response = await client.GetAsync($"/api/search?userId={user}&keyword={Uri.EscapeDataString(keyword)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static Task ExpectAsync(HttpStatusCode status, (HttpResponseMessage Response, System.Text.Json.Nodes.JsonNode Body) answer)
    {
        Assert.True(answer.Response.StatusCode == status, $"expected {status}, got {(int)answer.Response.StatusCode}: {answer.Body.Compact()}");
        return Task.CompletedTask;
    }
}

public sealed class DashboardBrowserTests_Embedded() : DashboardBrowserTests(ProcessStorage.Embedded("dashboard"))
{
    [Fact]
    public async Task The_page_refreshes_by_itself_without_reloading()
    {
        await Client.CreateUserAsync("refresh");
        await Client.SaveEventAsync("visit", "refresh", null);
        await Page.GotoAsync("/");
        await Expect(Page.Locator("#crm-5m")).ToHaveTextAsync("1");
        await Page.EvaluateAsync("() => { window.pulseTestMarker = 42; }");

        await Client.SaveEventAsync("visit", "refresh", null);
        await Client.SaveEventAsync("visit", "refresh", null);
        await Client.CreateUserAsync("refresh-2");

        await Expect(Page.Locator("#crm-5m")).ToHaveTextAsync("3");
        await Expect(Page.Locator("#users-count")).ToHaveTextAsync("2");
        Assert.Equal(42, await Page.EvaluateAsync<int>("() => window.pulseTestMarker"));
        Assert.Empty(Browser.Problems);
    }

    [Fact]
    public async Task The_explorer_shows_a_where_error_at_its_character_and_then_the_matching_events()
    {
        await Client.CreateUserAsync("explorer");
        await Client.SaveEventAsync("checkout", "explorer", null, ("plan", "pro"), ("amount", "10"));
        await Client.SaveEventAsync("checkout", "explorer", null, ("plan", "free"), ("amount", "5"));
        await Client.SaveEventAsync("view", "explorer", null, ("plan", "pro"));
        await Page.GotoAsync("/");
        await Expect(Page.Locator("#explorer-rows tr")).ToHaveCountAsync(3);

        await Page.FillAsync("#explorer-name", "checkout");
        await Page.FillAsync("#explorer-where", "plan&pro&lik&end");
        await Page.ClickAsync("#explorer-form button[type=submit]");

        await Expect(Page.Locator("#where-error")).ToBeVisibleAsync();
        await Expect(Page.Locator("#where-before")).ToHaveTextAsync("plan&pro&");
        await Expect(Page.Locator("#where-at")).ToHaveTextAsync("l");
        await Expect(Page.Locator("#where-message")).ToContainTextAsync("unknown operation 'lik'");

        await Page.FillAsync("#explorer-where", "plan&pro&=&end");
        await Page.ClickAsync("#explorer-form button[type=submit]");

        await Expect(Page.Locator("#where-error")).ToBeHiddenAsync();
        await Expect(Page.Locator("#explorer-rows tr")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#explorer-rows tr")).ToContainTextAsync("checkout");
        await Expect(Page.Locator("#explorer-rows tr")).ToContainTextAsync("plan=pro");
        await Expect(Page.Locator("#explorer-rows tr")).ToContainTextAsync("amount=10");
    }
}

public sealed class DashboardBrowserTests_Server() : DashboardBrowserTests(ProcessStorage.Server("dashboard"));
