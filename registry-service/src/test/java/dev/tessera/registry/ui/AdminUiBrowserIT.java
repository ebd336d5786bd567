package dev.tessera.registry.ui;

import static dev.tessera.registry.Definitions.joinYaml;
import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The admin UI in the system Chromium (NOTES-platform.md "Browser tests"): log in, write a
 * GroupBy with a mistake, see the error next to its line, fix it, publish, find it in the list.
 * Screenshots go to {@code target/}. Skipped, saying why, where Chromium is not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminUiBrowserIT {
  static final Path CHROMIUM = Path.of(System.getProperty("tessera.test.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("tessera.test.chromedriver", "/usr/bin/chromedriver"));
  static WebDriver driver;
  static Path profile;

  @LocalServerPort
  int port;

  @BeforeAll
  static void browser() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium or chromedriver is missing (" + CHROMIUM + ", " + CHROMEDRIVER + "): skipping the browser test. "
            + "Install them with: apt-get install -y chromium chromium-driver (.ci/prepare does this in CI).");
    profile = Files.createTempDirectory(Path.of("target"), "chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1440,1000", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void close() {
    if (driver != null) driver.quit();
  }

  @Test
  void logInCreateWithAnErrorSeeItInlineFixPublishAndFindItListed() throws IOException {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    String base = "http://127.0.0.1:" + port;
    String name = uniqueName("browser");

    driver.get(base + "/ui/groupbys");
    wait.until(ExpectedConditions.urlContains("/login"));
    screenshot("admin-ui-login.png");
    driver.findElement(By.id("username")).sendKeys("writer");
    driver.findElement(By.id("password")).sendKeys("writer-secret");
    driver.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.urlContains("/ui/groupbys"));

    driver.findElement(By.id("new-groupby")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("document")));
    driver.findElement(By.id("name")).sendKeys(name);
    type(driver.findElement(By.id("document")), yaml(name, "risk", "1h, 90x"));
    driver.findElement(By.id("check")).click();

    WebElement problems = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problems")));
    assertThat(problems.getText()).contains("1 problem").contains("$.aggregations[0].windows[1]").contains("line 15");
    WebElement line = driver.findElement(By.id("L15"));
    assertThat(line.getAttribute("class")).contains("has-problem");
    assertThat(line.findElement(By.className("problem-inline")).getText()).contains("bad window '90x'");
    assertThat(driver.findElement(By.cssSelector(".gutter .bad")).getText()).isEqualTo("15");
    // the link selects the line in the editor
    driver.findElement(By.cssSelector("a.line-link[data-line='15']")).click();
    Object selected = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
        "var t = document.getElementById('document'); return t.value.substring(t.selectionStart, t.selectionEnd);");
    assertThat((String) selected).contains("90x");
    screenshot("admin-ui-inline-error.png");

    type(driver.findElement(By.id("document")), yaml(name, "risk", "1h, 90m"));
    driver.findElement(By.id("check")).click();
    WebElement valid = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("valid")));
    assertThat(valid.getText()).contains("Publishing creates version 1.").contains("amount_avg_90m");
    assertThat(driver.findElements(By.id("problems"))).isEmpty();
    screenshot("admin-ui-valid.png");
    driver.findElement(By.id("publish")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui/groupbys/" + name + "$"));
    assertThat(driver.findElement(By.id("flash")).getText()).startsWith("Created " + name + ", version 1.");
    assertThat(driver.findElement(By.id("features")).getText()).contains("amount_avg_90m").contains("merchant_last_k");
    screenshot("admin-ui-detail.png");

    driver.get(base + "/ui/groupbys");
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-name='" + name + "']")));
    assertThat(row.getText()).contains(name).contains("active").contains("v1").contains("risk");
    screenshot("admin-ui-list.png");

    // a second version: the detail page shows the history and what changed
    row.findElement(By.linkText(name)).click();
    driver.findElement(By.id("edit")).click();
    WebElement editor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("document")));
    assertThat(editor.getAttribute("value")).isEqualTo(yaml(name, "risk", "1h, 90m"));
    type(editor, yaml(name, "risk", "1h, 90m, 7d"));
    driver.findElement(By.id("publish")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui/groupbys/" + name + "$"));
    assertThat(driver.findElement(By.id("flash")).getText()).startsWith("Published " + name + " version 2 (was 1).");
    WebElement diff = driver.findElement(By.id("diff"));
    assertThat(diff.getText()).contains("What changed from v1 to v2").contains("+ amount_avg_7d");
    ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("document.getElementById('versions').scrollIntoView()");
    screenshot("admin-ui-versions-diff.png");

    // a Join over it: checked with the GroupBy versions it resolves to, published, shown with its typed columns
    String join = name + "_model";
    driver.get(base + "/ui/joins/new");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("document")));
    driver.findElement(By.id("name")).sendKeys(join);
    // (this GroupBy has no 24h window: the derivation reads the 7d one)
    type(driver.findElement(By.id("document")), joinYaml(join, name, "risk", "amount_now / buyer_amount_avg_7d").replace("name: " + join + "\n", ""));
    driver.findElement(By.id("check")).click();
    WebElement joinValid = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("valid")));
    assertThat(joinValid.getText()).contains("Publishing creates version 1.").contains(name).contains("v2 (live)").contains("amount_vs_avg");
    screenshot("admin-ui-join-valid.png");
    driver.findElement(By.id("publish")).click();
    wait.until(ExpectedConditions.urlMatches(".*/ui/joins/" + join + "$"));
    assertThat(driver.findElement(By.id("flash")).getText()).startsWith("Created " + join + ", version 1.");
    assertThat(driver.findElement(By.id("parts")).getText()).contains(name).contains("live").contains("buyer → user_id");
    assertThat(driver.findElement(By.id("columns")).getText()).contains("buyer_amount_avg_7d").contains("derived");
    screenshot("admin-ui-join.png");
  }

  /** Replaces the textarea's text the way a user would: select all, type. */
  private static void type(WebElement textarea, String text) {
    textarea.clear();
    textarea.sendKeys(text);
  }

  private static void screenshot(String file) throws IOException {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), Path.of("target", file), StandardCopyOption.REPLACE_EXISTING);
  }
}
