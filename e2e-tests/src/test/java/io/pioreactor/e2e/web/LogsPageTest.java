package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.e2e.Cluster;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.vertx.mqtt.MqttClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's Logs view in Debian's headless Chromium, against a real leader and two worker daemons. Lines are published
 * as the units themselves would, under their own topics and with their own broker credentials, and by the worker
 * daemons (the add flow's membership line, a job starting).
 */
class LogsPageTest {
  /** Log text is attacker-controlled: this must show as these characters, and never run. */
  private static final String HTML_LINE = "<img src=x onerror=\"window.pwned=1\"><b>bold</b> & done";

  /** How many distinct burst lines the table shows. */
  private static final String BURST_SHOWN = "return new Set([...document.querySelectorAll('#logs-rows td.message')]"
      + ".map((td) => td.textContent).filter((t) => t.startsWith('burst-'))).size";

  @TempDir
  Path dir;

  private static void say(MqttClient client, String unit, String experiment, String level, String message) {
    client.publish(Topics.log(unit, experiment, "app", level.toLowerCase(Locale.ROOT)),
        new LogMessage(message, "e2e", "app", level, null).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false).await();
  }

  private static List<WebElement> rows(ChromeDriver d) {
    return d.findElements(By.cssSelector("#logs-rows tr"));
  }

  private static String tableText(ChromeDriver d) {
    return d.findElement(By.id("logs-rows")).getText();
  }

  @Test
  @DisplayName("the Logs view shows stored lines newest first, a unit's new line live (a burst whole), the add flow's and a job's lines; level and unit filters (kept in the URL) hide the others; Load older pages back; HTML in a line is text; an empty and an error state")
  void logsView() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      c.addAndAssign("e1", "worker1", "worker2");
      MqttClient w1 = c.mqttClient("worker1", "worker1-logspage");
      MqttClient w2 = c.mqttClient("worker2", "worker2-logspage");
      // More than one page (100) of older lines, so Load older has something to bring.
      for (int i = 1; i <= 150; i++) {
        say(w1, "worker1", "e1", "INFO", String.format("old-%03d", i));
      }
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-logs"));
      try {
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(x -> c.http.get("/api/logs?limit=1&unit=worker1").body().contains("old-150"));
        d.get("http://127.0.0.1:" + c.httpPort + "/#logs");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(x -> rows(d).size() == 100);
        assertThat(d.findElement(By.id("page-title")).getText()).isEqualTo("Logs");
        String first = tableText(d);
        assertThat(first).contains("old-150").doesNotContain("old-001");
        assertThat(first.indexOf("old-150")).as("newest first").isLessThan(first.indexOf("old-149"));

        // Load older pages back (by before_id) until the first line shows, and then says there are no more.
        for (int i = 0; i < 5 && !tableText(d).contains("old-001"); i++) {
          int before = rows(d).size();
          wait.until(ExpectedConditions.elementToBeClickable(By.id("logs-older"))).click();
          wait.until(x -> rows(d).size() > before || d.findElement(By.id("logs-feedback")).getText().contains("No older"));
        }
        assertThat(tableText(d)).contains("old-001");
        // The add flow (the worker's membership line) and a job (its start) are log lines like any other.
        assertThat(tableText(d)).contains("worker1 membership: active", "Adding new pioreactor worker1 to cluster.",
            "New pioreactor worker1 successfully added to cluster.");
        assertThat(c.http.send("POST", Cluster.runJobPath("worker2", "e1", "stirring"), "{}").status()).isEqualTo(200);
        wait.until(x -> tableText(d).contains("starting stirring"));

        // A unit's new line appears live, at the top.
        say(w2, "worker2", "e1", "INFO", "live-w2-info");
        wait.until(x -> tableText(d).contains("live-w2-info"));
        assertThat(tableText(d).indexOf("live-w2-info")).as("at the top").isLessThan(tableText(d).indexOf("starting stirring"));

        // HTML in a line is shown as the text it is.
        say(w1, "worker1", "e1", "WARNING", HTML_LINE);
        wait.until(x -> tableText(d).contains("bold"));
        WebElement message = rows(d).stream().filter(r -> r.getText().contains("bold")).findFirst().orElseThrow()
            .findElement(By.cssSelector("td.message"));
        assertThat(message.getText()).isEqualTo(HTML_LINE);
        assertThat(message.findElements(By.cssSelector("*"))).isEmpty();
        assertThat(d.executeScript("return window.pwned === undefined")).isEqualTo(true);
        d.executeScript("window.scrollTo(0, 0)");
        Browser.screenshotForDocs(d, "logs");

        // A burst from a unit, more than one event holds: every line shows, once, whatever the stream left out.
        List<io.vertx.core.Future<Integer>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
          burst.add(w2.publish(Topics.log("worker2", "e1", "app", "info"),
              new LogMessage(String.format("burst-%03d", i), "e2e", "app", "INFO", null).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false));
        }
        io.vertx.core.Future.all(burst).await();
        wait.until(x -> Long.valueOf(250).equals(d.executeScript(BURST_SHOWN)));
        assertThat(d.executeScript("return document.querySelectorAll('#logs-rows tr').length === "
            + "new Set([...document.querySelectorAll('#logs-rows tr')].map((r) => r.dataset.id)).size")).as("no line twice").isEqualTo(true);

        // Filters: worker1 at WARNING and above, in the URL; a new INFO line of worker1 and worker2's warning stay out.
        new Select(d.findElement(By.id("logs-unit"))).selectByValue("worker1");
        new Select(d.findElement(By.id("logs-level"))).selectByValue("WARNING");
        wait.until(x -> d.getCurrentUrl().endsWith("#logs?unit=worker1&level=WARNING"));
        wait.until(x -> tableText(d).contains("bold") && !tableText(d).contains("old-150"));
        say(w2, "worker2", "e1", "WARNING", "live-w2-warning");
        wait.until(x -> c.http.get("/api/logs?limit=5&unit=worker2").body().contains("live-w2-warning"));
        say(w1, "worker1", "e1", "INFO", "live-w1-info");
        say(w1, "worker1", "e1", "ERROR", "live-w1-error");
        wait.until(x -> rows(d).get(0).getText().contains("live-w1-error"));
        assertThat(tableText(d)).doesNotContain("live-w1-info").doesNotContain("live-w2-warning").doesNotContain("live-w2-info");
        for (WebElement row : rows(d)) {
          List<WebElement> cells = row.findElements(By.tagName("td"));
          assertThat(cells.get(1).getText()).isEqualTo("worker1");
          assertThat(cells.get(3).getText()).isIn("WARNING", "ERROR");
        }

        // A link with filters opens the view filtered that way: only worker2's warning.
        d.get("http://127.0.0.1:" + c.httpPort + "/#logs?unit=worker2&level=WARNING");
        d.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(x -> tableText(d).contains("live-w2-warning"));
        assertThat(new Select(d.findElement(By.id("logs-unit"))).getFirstSelectedOption().getText()).isEqualTo("worker2");
        assertThat(tableText(d)).doesNotContain("live-w2-info").doesNotContain("live-w1-error");

        // Nothing matches: the view says so (and how to see more), rather than showing an empty table.
        new Select(d.findElement(By.id("logs-experiment"))).selectByValue("$experiment");
        new Select(d.findElement(By.id("logs-level"))).selectByValue("ERROR");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logs-empty")));
        assertThat(d.findElement(By.id("logs-empty")).getText()).contains("No log lines match these filters");

        // The leader away: a load fails and the view says what to do, with a way to try again once it is back.
        new Select(d.findElement(By.id("logs-experiment"))).selectByValue("");
        new Select(d.findElement(By.id("logs-level"))).selectByValue("");
        wait.until(x -> tableText(d).contains("burst-249"));
        c.daemon("leader-daemon").close();
        new Select(d.findElement(By.id("logs-level"))).selectByValue("WARNING");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logs-error")));
        assertThat(rows(d)).as("the other filter's lines are not left showing").isEmpty();
        assertThat(d.findElement(By.id("logs-error")).getText()).contains("Could not load the log lines")
            .contains("Check that the leader is running");
        // Try again while it is still away: the same message, nothing stale shown.
        wait.until(x -> { // (the second filter's load may still redraw the message)
          d.findElement(By.cssSelector("#logs-error button")).click();
          return true;
        });
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logs-error")));
        assertThat(rows(d)).isEmpty();
        // Back: the view loads by itself once its stream reconnects.
        c.restartLeader();
        wait.withTimeout(Duration.ofSeconds(30)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("logs-error")));
        wait.until(x -> tableText(d).contains("live-w2-warning"));
      } finally {
        d.quit();
      }
    }
  }
}
