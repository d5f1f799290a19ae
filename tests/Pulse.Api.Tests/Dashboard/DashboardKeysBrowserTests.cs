using Pulse.Api.Tests.Crm;
using Pulse.Api.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pulse.Api.Tests.Dashboard;

/// <summary>With keys, the page asks for a read key, says plainly when one is refused, and works with a right one.</summary>
public sealed class DashboardKeysBrowserTests() : DashboardProcessTest(
    ProcessStorage.Embedded("dashboard-keys"), new Dictionary<string, string> { ["Auth__BootstrapAdminKey"] = BootstrapKey })
{
    private const string BootstrapKey = "dashboard-test-bootstrap-key-0123456789";

    [Fact]
    public async Task The_page_asks_for_a_read_key_refuses_a_wrong_one_visibly_and_works_with_the_right_one()
    {
        Client.DefaultRequestHeaders.Authorization = new("Bearer", BootstrapKey);
        var readKey = await CreateKeyAsync("dashboard", "read");
        var ingestKey = await CreateKeyAsync("app", "ingest");
        await Client.CreateUserAsync("keys-1");
        await Client.CreateUserAsync("keys-2");
        var page = Page;

        await page.GotoAsync("/");
        await Expect(page.Locator("#key-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#content")).ToBeHiddenAsync();
        await Expect(page.Locator("#key-error")).ToBeHiddenAsync();

        await page.FillAsync("#key-input", "pk_read_" + new string('x', 43));
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#key-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-error")).ToContainTextAsync("This key was refused (unknown, revoked or expired)");
        await Expect(page.Locator("#content")).ToBeHiddenAsync();

        await page.FillAsync("#key-input", ingestKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#key-error")).ToContainTextAsync("lacks the read scope");

        await page.FillAsync("#key-input", readKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Expect(page.Locator("#users-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#key-panel")).ToBeHiddenAsync();
        Assert.Equal(readKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('pulse.readKey')"));

        // The key stays with the tab: a reload goes straight to the data.
        await page.ReloadAsync();
        await Expect(page.Locator("#users-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#key-panel")).ToBeHiddenAsync();
    }

    private async Task<string> CreateKeyAsync(string name, string scope)
    {
        var (response, body) = await Client.PostAsync("/api/v1/keys", new { name, scopes = new[] { scope } });
        Assert.True(response.IsSuccessStatusCode, body.Compact());
        return body["data"]!["key"].Str();
    }
}
