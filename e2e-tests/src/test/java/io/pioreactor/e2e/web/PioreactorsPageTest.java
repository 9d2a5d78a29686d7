package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web page's Pioreactors view in Debian's headless Chromium, against a real leader and worker daemons. */
class PioreactorsPageTest {

  @TempDir
  Path dir;

  private static WebElement card(ChromeDriver d, String unit) {
    return d.findElement(By.cssSelector("article.pio-card[data-unit='" + unit + "']"));
  }

  private static WebElement job(ChromeDriver d, String unit, String job) {
    return card(d, unit).findElement(By.cssSelector("section.job[data-job='" + job + "']"));
  }

  private static String jobState(ChromeDriver d, String unit, String job) {
    return job(d, unit, job).findElement(By.cssSelector(".job-state")).getText();
  }

  private static String jobFeedback(ChromeDriver d, String unit, String job) {
    return job(d, unit, job).findElement(By.cssSelector("p.feedback")).getText();
  }

  /** Waits until the job's feedback line reads {@code expected}; a timeout names what it read instead. */
  private static void untilFeedback(ChromeDriver d, String unit, String job, String expected) {
    waitFor(d, 25).withMessage(() -> "feedback of " + job + " on " + unit + " to read \"" + expected + "\", but it reads \""
        + jobFeedback(d, unit, job) + "\"").until(d2 -> jobFeedback(d, unit, job).equals(expected));
  }

  private static WebElement button(ChromeDriver d, String unit, String ariaLabel) {
    return card(d, unit).findElement(By.cssSelector("button[aria-label='" + ariaLabel + "']"));
  }

  private static int chartPoints(ChromeDriver d, String unit, String metric) {
    String n = card(d, unit).findElement(By.cssSelector("figure.chart[data-metric='" + metric + "']")).getAttribute("data-points");
    return n == null ? 0 : Integer.parseInt(n);
  }

  /** A retained number, as the worker published it ("400.0"), or null when absent or cleared. */
  private static Double retainedNumber(Cluster c, String topic) {
    String v = c.retained.get(topic);
    return v == null || v.isEmpty() ? null : Double.valueOf(v);
  }

  private static String path(String experiment) {
    return URLEncoder.encode(experiment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static WebDriverWait waitFor(ChromeDriver d, int seconds) {
    WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Opens the Pioreactors view (of the latest experiment, or {@code experiment}) and waits until it is live. */
  private static void open(ChromeDriver d, Cluster c, WebDriverWait wait, String experiment) {
    d.get("http://127.0.0.1:" + c.httpPort + "/#pioreactors" + (experiment == null ? "" : "/" + path(experiment)));
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
  }

  @Test
  @DisplayName("stirring started from the page turns ready, its target and measured rpm live; target_rpm changed in place reaches the worker (a value it refuses shows its reason); pause, resume, stop; od_reading started from the page fills its chart from the event stream")
  void jobsFromThePage() throws Exception {
    String e = "trial 1";
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      c.addAndAssign(e, "worker1", "worker2");
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile"));
      try {
        WebDriverWait wait = waitFor(d, 20);
        open(d, c, wait, null);
        // The latest experiment is shown, and the URL says so.
        wait.until(d2 -> new Select(d.findElement(By.id("pio-experiment"))).getFirstSelectedOption().getText().equals(e));
        wait.until(d2 -> d.getCurrentUrl().endsWith("#pioreactors/" + path(e)));
        wait.until(d2 -> card(d, "worker1").getText().contains("ready"));
        assertThat(d.findElement(By.cssSelector("a[data-nav='pioreactors']")).getAttribute("aria-current")).isEqualTo("page");

        // Start stirring with its option from the small form.
        button(d, "worker1", "Start stirring on worker1").click();
        WebElement rpm = wait.until(d2 -> card(d, "worker1").findElement(
            By.cssSelector("input[aria-label='Target stir RPM for starting stirring on worker1']")));
        rpm.sendKeys("400");
        job(d, "worker1", "stirring").findElement(By.cssSelector("form.start-form button[type=submit]")).click();
        wait.until(d2 -> jobState(d, "worker1", "stirring").equals("ready"));
        wait.until(d2 -> jobFeedback(d, "worker1", "stirring").contains("Stirring started"));
        wait.until(d2 -> Double.valueOf(400).equals(retainedNumber(c, Topics.job("worker1", e, "stirring", "target_rpm"))));
        // Its rpm, live from the worker row's activity settings.
        String target = "input[aria-label='Target stir RPM of stirring on worker1']";
        wait.until(d2 -> "400".equals(card(d, "worker1").findElement(By.cssSelector(target)).getAttribute("value")));
        // ... and the measured rpm (the mock fan's, about the target) on its chart, live.
        wait.withTimeout(Duration.ofSeconds(30)).until(d2 -> chartPoints(d, "worker1", "rpm") > 0);
        String legend = card(d, "worker1").findElement(By.cssSelector("figure.chart[data-metric='rpm'] .legend")).getText();
        assertThat(legend).startsWith("worker1 ");
        assertThat(Double.parseDouble(legend.substring("worker1 ".length()))).isBetween(360.0, 440.0);

        // target_rpm changed in place: the worker takes it, and the card says so once the worker reports it.
        WebElement input = card(d, "worker1").findElement(By.cssSelector(target));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "600");
        button(d, "worker1", "Set Target stir RPM of stirring on worker1").click();
        wait.until(d2 -> Double.valueOf(600).equals(retainedNumber(c, Topics.job("worker1", e, "stirring", "target_rpm"))));
        wait.until(d2 -> jobFeedback(d, "worker1", "stirring").contains("Target stir RPM is now 600 RPM"));
        wait.until(d2 -> "600".equals(card(d, "worker1").findElement(By.cssSelector(target)).getAttribute("value")));
        // A value the worker refuses: the leader passes it on, the worker says why in its log, and the card shows that.
        card(d, "worker1").findElement(By.cssSelector(target)).sendKeys(Keys.chord(Keys.CONTROL, "a"), "9000", Keys.ENTER);
        untilFeedback(d, "worker1", "stirring",
            "Not done: worker1 says “refused target_rpm=9000: stirring: target_rpm must be between 0 and 5000, got 9000”");
        assertThat(retainedNumber(c, Topics.job("worker1", e, "stirring", "target_rpm"))).isEqualTo(600.0);

        // Pause and resume.
        button(d, "worker1", "Pause stirring on worker1").click();
        wait.until(d2 -> jobState(d, "worker1", "stirring").equals("paused (sleeping)"));
        assertThat(c.retained.get(Topics.jobState("worker1", e, "stirring"))).isEqualTo("sleeping");
        wait.until(d2 -> jobFeedback(d, "worker1", "stirring").contains("Stirring paused"));
        button(d, "worker1", "Resume stirring on worker1").click();
        wait.until(d2 -> jobState(d, "worker1", "stirring").equals("ready"));
        assertThat(c.retained.get(Topics.jobState("worker1", e, "stirring"))).isEqualTo("ready");

        // Stop.
        button(d, "worker1", "Stop stirring on worker1").click();
        wait.until(d2 -> jobState(d, "worker1", "stirring").equals("not running"));
        wait.until(d2 -> jobFeedback(d, "worker1", "stirring").contains("Stirring stopped"));
        assertThat(c.retained.get(Topics.jobState("worker1", e, "stirring"))).isEqualTo("disconnected");

        // od_reading from the page: its chart gains points (counted in what uPlot holds).
        button(d, "worker1", "Start od_reading on worker1").click();
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector("input[aria-label='Interval for starting od_reading on worker1']")))
            .sendKeys("1");
        job(d, "worker1", "od_reading").findElement(By.cssSelector("form.start-form button[type=submit]")).click();
        wait.until(d2 -> jobState(d, "worker1", "od_reading").equals("ready"));
        wait.withTimeout(Duration.ofSeconds(30)).until(d2 -> chartPoints(d, "worker1", "od") > 0);
        int first = chartPoints(d, "worker1", "od");
        wait.withTimeout(Duration.ofSeconds(30)).until(d2 -> chartPoints(d, "worker1", "od") > first);
        // ... from the live readings on the event stream (the 5 s polling is only the fallback).
        wait.until(d2 -> "stream".equals(card(d, "worker1").findElement(By.cssSelector("figure.chart[data-metric='od']"))
            .getAttribute("data-from")));

        // For the docs: stirring again on both, od_reading on worker1.
        assertThat(c.http.send("POST", Cluster.runJobPath("worker1", path(e), "stirring"), "{\"options\": {\"target_rpm\": 500}}").status())
            .isEqualTo(200);
        assertThat(c.http.send("POST", Cluster.runJobPath("worker2", path(e), "stirring"), "{}").status()).isEqualTo(200);
        wait.until(d2 -> jobState(d, "worker2", "stirring").equals("ready"));
        // Until the fan's speed at 500 is on the chart (first measured 6 s after the start).
        wait.withTimeout(Duration.ofSeconds(30)).until(d2 -> {
          String l = card(d, "worker1").findElement(By.cssSelector("figure.chart[data-metric='rpm'] .legend")).getText();
          return Double.parseDouble(l.substring("worker1 ".length())) > 450;
        });
        Browser.screenshotForDocs(d, "pioreactors");
        Browser.screenshot(d, "pioreactors-desktop");
      } finally {
        d.quit();
      }
    }
  }

  @Test
  @DisplayName("an inactive unit's controls are disabled with the reason; a start refused shows the worker's own reason, one not delivered the leader's; stop all on a unit and on the experiment, confirmed")
  void refusalsAndStopAll() throws Exception {
    String e = "trial 2";
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      c.addAndAssign(e, "worker1", "worker2");
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-2"));
      try {
        WebDriverWait wait = waitFor(d, 20);
        open(d, c, wait, e);
        wait.until(d2 -> card(d, "worker2").getText().contains("ready"));

        // Set inactive (from anywhere): the card turns inactive live, says why, and its controls are disabled.
        assertThat(c.http.send("PUT", "/api/workers/worker2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
        wait.until(d2 -> card(d, "worker2").getAttribute("class").contains("inactive"));
        WebElement reason = card(d, "worker2").findElement(By.cssSelector(".reason"));
        assertThat(reason.isDisplayed()).isTrue();
        assertThat(reason.getText()).isEqualTo("inactive: it runs nothing until set active (Inventory)");
        assertThat(button(d, "worker2", "Start stirring on worker2").isEnabled()).isFalse();
        assertThat(button(d, "worker2", "Start od_reading on worker2").isEnabled()).isFalse();
        assertThat(button(d, "worker2", "Stop all jobs on worker2").isEnabled()).isFalse();
        assertThat(card(d, "worker1").findElement(By.cssSelector(".reason")).isDisplayed()).isFalse();

        // The worker refuses a value out of range: its own words are shown, and nothing runs.
        button(d, "worker1", "Start stirring on worker1").click();
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector("input[aria-label='Target stir RPM for starting stirring on worker1']")))
            .sendKeys("9000");
        job(d, "worker1", "stirring").findElement(By.cssSelector("form.start-form button[type=submit]")).click();
        untilFeedback(d, "worker1", "stirring", "Not started: worker1: stirring: target_rpm must be between 0 and 5000, got 9000");
        assertThat(jobState(d, "worker1", "stirring")).isEqualTo("not running");

        // Stop all on one unit, after a confirmation naming what stops.
        assertThat(c.http.send("POST", Cluster.runJobPath("worker1", path(e), "stirring"), "{}").status()).isEqualTo(200);
        assertThat(c.http.send("POST", Cluster.runJobPath("worker1", path(e), "od_reading"), "{}").status()).isEqualTo(200);
        wait.until(d2 -> jobState(d, "worker1", "od_reading").equals("ready") && jobState(d, "worker1", "stirring").equals("ready"));
        button(d, "worker1", "Stop all jobs on worker1").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.confirm"), "These stop now: "));
        assertThat(d.findElement(By.cssSelector("dialog.confirm")).getText()).contains("stirring").contains("od_reading");
        d.findElement(By.cssSelector("dialog.confirm button[data-confirm]")).click();
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector(":scope > p.feedback")).getText().startsWith("Stopped: "));
        wait.until(d2 -> jobState(d, "worker1", "od_reading").equals("not running") && jobState(d, "worker1", "stirring").equals("not running"));

        // Stop all in the experiment ($broadcast), confirmed.
        assertThat(c.http.send("POST", Cluster.runJobPath("worker1", path(e), "stirring"), "{}").status()).isEqualTo(200);
        wait.until(d2 -> jobState(d, "worker1", "stirring").equals("ready"));
        d.findElement(By.id("pio-stop-all")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.confirm"), "worker1"));
        d.findElement(By.cssSelector("dialog.confirm button[data-confirm]")).click();
        // (The feedback is worker1's own answer: what it stopped.)
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pio-feedback"), "Stopped: worker1 (stirring)"));
        wait.until(d2 -> jobState(d, "worker1", "stirring").equals("not running"));

        // A worker that does not answer (killed just now; the page still has it ready): the leader's own words.
        c.daemon("worker1").kill();
        button(d, "worker1", "Start growth_rate_calculating on worker1").click();
        untilFeedback(d, "worker1", "growth_rate_calculating", "Not started: worker1 did not answer within 15 s: is it online?");
        assertThat(jobState(d, "worker1", "growth_rate_calculating")).isEqualTo("not running");
      } finally {
        d.quit();
      }
    }
  }

  @Test
  @DisplayName("100 units assigned to an experiment: their 100 cards render (time reported), charts only for the cards in view; the experiment chosen is kept in the URL")
  void aHundredUnits() throws Exception {
    String e = "hundred";
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      assertThat(c.http.send("POST", "/api/experiments", new JsonObject().put("experiment", e).encode()).status()).isEqualTo(201);
      for (int i = 1; i <= 100; i++) {
        String u = String.format("u%03d", i);
        assertThat(c.http.send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", u).encode()).status()).isEqualTo(201);
        assertThat(c.http.send("PUT", "/api/experiments/" + e + "/workers", new JsonObject().put("pioreactor_unit", u).encode()).status())
            .isEqualTo(200);
      }
      for (int i = 91; i <= 100; i++) {
        c.http.send("PUT", "/api/workers/" + String.format("u%03d", i) + "/is_active", "{\"is_active\": 0}");
      }
      // The latest experiment, with nobody in it.
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"empty one\"}").status()).isEqualTo(201);
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-3"));
      try {
        WebDriverWait wait = waitFor(d, 30);
        long started = System.nanoTime();
        d.get("http://127.0.0.1:" + c.httpPort + "/#pioreactors/" + e);
        wait.until(d2 -> d.findElements(By.cssSelector("article.pio-card")).size() == 100);
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(d.findElement(By.id("pio-count")).getText()).isEqualTo("100 Pioreactors in “hundred” (10 inactive)");
        assertThat(d.findElements(By.cssSelector("article.pio-card.inactive"))).hasSize(10);
        Object timing = ((JavascriptExecutor) d).executeScript("""
            const first = performance.getEntriesByName('pioreactors-first-render')[0].startTime;
            const all = performance.getEntriesByName('pioreactors-render-all').map((m) => m.duration);
            return `first render of 100 cards ${first.toFixed(0)} ms after navigation; that render took ${all.length ? Math.max(...all).toFixed(1) : -1} ms (longest of ${all.length})`;
            """);
        System.out.println("[browser] Pioreactors view: 100 cards present " + wallMs + " ms after d.get (selenium polling); " + timing);

        // Charts are made and loaded for the cards in view only; one far down when scrolled to.
        String odNote = "figure.chart[data-metric='od'] .note";
        wait.until(d2 -> card(d, "u001").findElement(By.cssSelector(odNote)).getText().equals("No readings in the last 4 h"));
        WebElement last = card(d, "u100");
        assertThat(last.findElements(By.cssSelector("figure.chart"))).isEmpty();
        ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView()", last);
        wait.until(d2 -> card(d, "u100").findElement(By.cssSelector(odNote)).getText().equals("No readings in the last 4 h"));
        Browser.screenshot(d, "pioreactors-100-units");

        // Another experiment from the selector: the URL follows, and the Inventory tab and back keep it.
        new Select(d.findElement(By.id("pio-experiment"))).selectByValue("empty one");
        wait.until(d2 -> d.findElements(By.cssSelector("article.pio-card")).isEmpty());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pio-empty"), "No Pioreactors are assigned to “empty one”"));
        wait.until(d2 -> d.getCurrentUrl().endsWith("#pioreactors/empty%20one"));
        d.findElement(By.cssSelector("a[data-nav='inventory']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "100 workers"));
        assertThat(d.findElement(By.id("pioreactors-view")).isDisplayed()).isFalse();
        d.findElement(By.cssSelector("a[data-nav='pioreactors']")).click();
        wait.until(d2 -> new Select(d.findElement(By.id("pio-experiment"))).getFirstSelectedOption().getText().equals("empty one"));
        d.navigate().refresh();
        wait.until(d2 -> new Select(d.findElement(By.id("pio-experiment"))).getFirstSelectedOption().getText().equals("empty one"));
        assertThat(d.findElement(By.id("inventory-view")).isDisplayed()).isFalse();
      } finally {
        d.quit();
      }
    }
  }

  @Test
  @DisplayName("a unit's label in the experiment is edited in place, shown as text (never as markup), kept across a reload, and removed when emptied")
  void labels() throws Exception {
    String e = "labelled";
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      assertThat(c.http.send("POST", "/api/experiments", new JsonObject().put("experiment", e).encode()).status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/workers", "{\"pioreactor_unit\": \"u1\"}").status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/experiments/" + e + "/workers", "{\"pioreactor_unit\": \"u1\"}").status()).isEqualTo(200);
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-4"));
      try {
        WebDriverWait wait = waitFor(d, 20);
        open(d, c, wait, e);
        wait.until(d2 -> card(d, "u1").findElement(By.cssSelector(".unit-label")).getText().equals("no label"));
        String markup = "<img src=x onerror=\"document.body.dataset.owned=1\"> flask A";
        button(d, "u1", "Edit label of u1").click();
        WebElement input = wait.until(d2 -> card(d, "u1").findElement(By.cssSelector("input[aria-label='Label of u1 in labelled']")));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), markup, Keys.ENTER);
        wait.until(d2 -> card(d, "u1").findElement(By.cssSelector(":scope > p.feedback")).getText().startsWith("Label saved"));
        assertThat(card(d, "u1").findElement(By.cssSelector(".unit-label")).getText()).isEqualTo(markup);
        assertThat(card(d, "u1").findElements(By.tagName("img"))).isEmpty();
        assertThat(((JsonObject) c.http.get("/api/experiments/" + e + "/unit_labels").json()).getString("u1")).isEqualTo(markup);

        d.navigate().refresh();
        wait.until(d2 -> card(d, "u1").findElement(By.cssSelector(".unit-label")).getText().equals(markup));
        assertThat(((JavascriptExecutor) d).executeScript("return document.body.dataset.owned === undefined")).isEqualTo(true);

        button(d, "u1", "Edit label of u1").click();
        input = wait.until(d2 -> card(d, "u1").findElement(By.cssSelector("input[aria-label='Label of u1 in labelled']")));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, Keys.ENTER);
        wait.until(d2 -> card(d, "u1").findElement(By.cssSelector(":scope > p.feedback")).getText().equals("Label removed"));
        assertThat(card(d, "u1").findElement(By.cssSelector(".unit-label")).getText()).isEqualTo("no label");
        assertThat(((JsonObject) c.http.get("/api/experiments/" + e + "/unit_labels").json()).containsKey("u1")).isFalse();
      } finally {
        d.quit();
      }
    }
  }
}
