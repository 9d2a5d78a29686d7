package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import io.pioreactor.e2e.FakeClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Clocks on the page, in Debian's headless Chromium: a worker 30 s ahead (libfaketime) beside a steady one. */
class ClocksPageTest {

  @TempDir
  Path dir;

  private static WebElement card(ChromeDriver d, String unit) {
    return d.findElement(By.cssSelector("article.card[data-unit='" + unit + "']"));
  }

  private static String clockOf(ChromeDriver d, String selector) {
    List<WebElement> found = d.findElements(By.cssSelector(selector));
    return found.isEmpty() ? "" : found.get(0).getAttribute("data-clock") + " " + found.get(0).getText();
  }

  @Test
  @DisplayName("the skewed unit's cards warn of its clock (the steady one's say it quietly), and Sync clocks says per unit before → after, the warning gone")
  void clockWarningAndSync() throws Exception {
    Assumptions.assumeTrue(FakeClock.available(), "Debian's faketime is not installed (apt-get install faketime)");
    FakeClock fake = new FakeClock(dir, "+30s");
    try (Cluster c = new Cluster(dir, true)) {
      c.leaderConfig(new JsonObject().put("clocks", new JsonObject().put("interval_s", 1)));
      c.startLeader(false);
      c.startWorker("skewed", new JsonArray().add("true"), fake.prefix(),
          new JsonObject().put("clock_sync_command", new JsonArray().add(fake.stepScript(dir).toString())));
      c.startWorker("steady");
      c.addAndAssign("e1", "skewed", "steady");
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile"));
      try {
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        d.get("http://127.0.0.1:" + c.httpPort + "/");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));

        // The Inventory: the warning on the skewed card, a quiet line on the steady one.
        String skewed = "article.card[data-unit='skewed'] .clock";
        wait.until(d2 -> clockOf(d, skewed).matches("warning clock: \\+(29\\.[5-9]|30\\.[0-5]) s.*"));
        wait.until(d2 -> clockOf(d, "article.card[data-unit='steady'] .clock").matches("ok clock [+-]0\\.\\d{3} s"));

        // The Pioreactors view's card says it too.
        d.get("http://127.0.0.1:" + c.httpPort + "/#pioreactors/e1");
        wait.until(d2 -> clockOf(d, "article.pio-card[data-unit='skewed'] .clock").matches("warning clock: \\+(29\\.[5-9]|30\\.[0-5]) s.*"));

        // Sync clocks: per-unit feedback, and the card's warning goes (live from the event stream).
        d.get("http://127.0.0.1:" + c.httpPort + "/#inventory");
        wait.until(d2 -> clockOf(d, skewed).startsWith("warning"));
        Browser.screenshotForDocs(d, "clocks");
        d.findElement(By.id("sync-clocks")).click();
        // (30.0 s give or take half a round trip: a loaded machine's may be a few hundred ms)
        wait.withTimeout(Duration.ofSeconds(60)).withMessage(() -> "the sync's feedback: " + d.findElement(By.id("bulk-feedback")).getText())
            .until(d2 -> d.findElement(By.cssSelector("#bulk-feedback li[data-unit='skewed']")).getText()
                .matches("skewed: \\+(29\\.[5-9]|30\\.[0-5]) s → [+-]0\\.\\d{3} s ok"));
        assertThat(d.findElement(By.cssSelector("#bulk-feedback li[data-unit='steady']")).getText()).endsWith(" ok");
        assertThat(d.findElement(By.id("bulk-feedback")).getAttribute("class")).contains("done");
        wait.until(d2 -> clockOf(d, skewed).startsWith("ok clock"));
        wait.until(d2 -> !card(d, "skewed").getText().contains("off the leader"));
        Browser.screenshotForDocs(d, "clocks-synced");
      } finally {
        d.quit();
      }
    }
  }
}
