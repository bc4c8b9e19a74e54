using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ProbeGrid.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, driven through its own chromium-driver (same package version, so the WebDriver speaks the
/// browser's protocol exactly): one browser for a test class. Missing either fails with what installs them.
/// </summary>
public sealed class Chromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    public const int Width = 1280;
    public const int Height = 960;

    private readonly Lazy<ChromeDriver> driver = new(Start);

    public ChromeDriver Driver => driver.Value;

    private static ChromeDriver Start()
    {
        var missing = new[] { BrowserPath, DriverPath }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"The dashboard's browser tests need Debian's chromium and chromium-driver, and {string.Join(" and ", missing)} " +
                                                "is missing: run scripts/bootstrap (it installs both with apt-get --no-install-recommends).");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        // --no-sandbox: the tests may run as root in a container, where chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--force-device-scale-factor=1", $"--window-size={Width},{Height}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Runs <paramref name="script"/> (a JS expression) in the page and reads its JSON.</summary>
    public JsonElement Json(string script)
    {
        var text = (string?)Driver.ExecuteScript($"return JSON.stringify({script});");
        return text is null ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it gives a value (not null), for at most <paramref name="timeout"/>; the failure
    /// says what was awaited and what the page showed.
    /// </summary>
    public async Task<T> Until<T>(Func<T?> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (probe() is { } value) return value;
            }
            catch (WebDriverException e)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        var page = Driver.FindElement(By.TagName("body")).Text;
        throw new TimeoutException($"the dashboard did not show {what} within {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds} s. {last?.Message}\nThe page read:\n{page}");
    }

    public Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => condition() ? "yes" : null, what, timeout);

    /// <summary>The element with data-testid <paramref name="id"/>, or null.</summary>
    public IWebElement? Find(string id) => Driver.FindElements(By.CssSelector($"[data-testid='{id}']")).FirstOrDefault();

    /// <summary>Clicks the element with data-testid <paramref name="id"/>, finding it again if the page redrew it meanwhile.</summary>
    public Task ClickAsync(string id) => Until(() =>
    {
        (Find(id) ?? throw new NoSuchElementException($"no element with data-testid '{id}'")).Click();
        return "clicked";
    }, $"'{id}' to click");

    /// <summary>The text of every element the CSS selector finds, read in one go in the page (no element goes stale between reads).</summary>
    public IReadOnlyList<string?> Texts(string selector) =>
        Json($"[...document.querySelectorAll({JsonSerializer.Serialize(selector)})].map(e => e.innerText)").EnumerateArray().Select(e => e.GetString()).ToList();

    /// <summary>Goes to a route of the dashboard (the hash) and waits until its view has loaded (or shows a problem).</summary>
    public async Task OpenAsync(string baseUrl, string hash)
    {
        // A fresh document each time: a hash-only change would keep the last page's state (and window.__probegrid).
        Driver.Navigate().GoToUrl("about:blank");
        Driver.Navigate().GoToUrl(baseUrl + "/" + hash);
        await ViewSettledAsync(hash);
    }

    public Task ViewSettledAsync(string what) => Until(() => Find("view")?.GetAttribute("data-state") is "ready" or "problem", $"the view {what} loaded");

    /// <summary>With PROBEGRID_WRITE_FIGURES=1, the window as docs/figures/dashboard-NAME.png (the README shows them); otherwise nothing.</summary>
    public void Figure(string name)
    {
        if (Environment.GetEnvironmentVariable("PROBEGRID_WRITE_FIGURES") != "1") return;
        var folder = Path.Combine(RepositoryRoot(), "docs", "figures");
        Directory.CreateDirectory(folder);
        Driver.GetScreenshot().SaveAsFile(Path.Combine(folder, $"dashboard-{name}.png"));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ProbeGrid.sln"))) return dir.FullName;
        throw new InvalidOperationException("ProbeGrid.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        if (driver.IsValueCreated) driver.Value.Quit();
    }
}
