package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import io.pioreactor.e2e.Cli;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web Inventory in Debian's headless Chromium, against a real leader and worker daemons. */
class InventoryPageTest {

  @TempDir
  Path dir;

  private static WebElement card(ChromeDriver d, String unit) {
    return d.findElement(By.cssSelector("article.card[data-unit='" + unit + "']"));
  }

  @Test
  @DisplayName("add through the dialog (a bad name refused as you type), live updates from the CLI and a killed worker, identify, inactive halts activities")
  void inventoryPage() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile"));
      try {
        // Cards are replaced whenever their worker changes: look elements up afresh, and retry stale ones.
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        d.get("http://127.0.0.1:" + c.httpPort + "/");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));

        // The dialog: a bad name is refused as it is typed; a good one goes through the add flow.
        d.findElement(By.id("add-button")).click();
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("add-name")));
        name.sendKeys("bad name!");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("add-name-help"), "may contain only"));
        assertThat(d.findElement(By.cssSelector("dialog.add button[type=submit]")).isEnabled()).isFalse();
        name.clear();
        name.sendKeys("ghost");
        d.findElement(By.cssSelector("dialog.add button[type=submit]")).click();
        wait.withTimeout(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("dialog.add .outcome"), "Failed at “Ask the worker to identify itself”"));
        name.clear();
        name.sendKeys("worker1");
        d.findElement(By.cssSelector("dialog.add button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.add .outcome"), "worker1 was added"));
        d.findElement(By.cssSelector("dialog.add .dialog-buttons button.secondary")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.card[data-unit='worker1']")));

        // Added from the CLI: appears without a reload.
        assertThat(c.cli.run("workers", "add", "worker2").exitCode()).isZero();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("article.card[data-unit='worker2']")));
        wait.until(d2 -> card(d, "worker2").getText().contains("ready"));

        // Identify: the card says the LED blinks.
        wait.until(d2 -> {
          card(d, "worker1").findElement(By.cssSelector("button[aria-label^='Identify worker1']")).click();
          return true;
        });
        wait.until(d2 -> card(d, "worker1").getText().contains("the LED is blinking"));

        // A running activity shows on its card, live.
        assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
        assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"worker1\"}").status()).isEqualTo(200);
        assertThat(c.http.send("POST", "/api/workers/worker1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector(".activities")).getText().contains("stirring (ready)"));

        // Inactive: the confirmation names what it halts; then the row and the card say so, and the activity stops.
        wait.until(d2 -> {
          card(d, "worker1").findElement(By.cssSelector("input[role=switch]")).click();
          return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.confirm"), "It will halt: stirring"));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("dialog.confirm button[data-confirm]"))).click();
        wait.until(d2 -> card(d, "worker1").getText().contains("Inactive"));
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector(".activities")).getText().equals("none running"));
        assertThat(c.retained.get(io.pioreactor.protocol.Topics.jobState("worker1", "e1", "stirring"))).isEqualTo("disconnected");
        assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'worker1'").get(0)).containsEntry("is_active", 0);

        Browser.screenshot(d, "inventory-desktop");
        d.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(d, "inventory-phone");
        d.manage().window().setSize(new Dimension(1280, 900));

        // A killed worker turns lost on the open page.
        c.daemon("worker2").kill();
        wait.withTimeout(Duration.ofSeconds(15)).until(d2 -> card(d, "worker2").getText().contains("lost"));

        // The leader restarts: the page says it is stale, then reconnects by itself and is live again.
        c.daemon("leader-daemon").close();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "Reconnecting"));
        c.restartLeader();
        wait.withTimeout(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(d2 -> card(d, "worker1").getText().contains("Inactive"));
      } finally {
        d.quit();
      }
    }
  }

  @Test
  @DisplayName("discover and add from the dialog, create and assign an experiment, unassign, reboot (rebooting → lost → ready), remove; 100 workers")
  void workerActionsAndAHundredWorkers() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      // Its "reboot" kills the daemon half a second later, as a real reboot would; the test then starts it again.
      JsonArray killSelf = new JsonArray().add("sh").add("-c").add("sleep 0.5; kill -9 $PPID");
      c.startWorker("worker2", killSelf);
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-2"));
      try {
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        d.get("http://127.0.0.1:" + c.httpPort + "/");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));

        // "Search for workers" lists both running, not-yet-added workers; add one with its button.
        d.findElement(By.id("add-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.add ul.discovered"), "worker2"));
        d.findElement(By.cssSelector("dialog.add button[aria-label='Add worker1']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.add .outcome"), "worker1 was added"));
        d.findElement(By.cssSelector("dialog.add .dialog-buttons button.secondary")).click();
        assertThat(c.cli.run("workers", "add", "worker2").exitCode()).isZero();
        wait.until(d2 -> card(d, "worker2").getText().contains("ready"));

        // Create an experiment from the page, assign worker1 to it from its card, then unassign.
        d.findElement(By.id("experiment-name")).sendKeys("growth run");
        d.findElement(By.cssSelector("#new-experiment button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("experiment-feedback"), "Created"));
        wait.until(d2 -> {
          new Select(card(d, "worker1").findElement(By.cssSelector("select[aria-label='Assign worker1 to an experiment']")))
              .selectByValue("growth run");
          return true;
        });
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector(".experiment")).getText().equals("growth run"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.summary"), "growth run worker1"));
        assertThat(c.rows("SELECT experiment FROM experiment_worker_assignments WHERE pioreactor_unit = 'worker1'").get(0))
            .containsEntry("experiment", "growth run");
        wait.until(d2 -> {
          card(d, "worker1").findElement(By.cssSelector("button[aria-label='Unassign worker1 from its experiment']")).click();
          return true;
        });
        wait.until(d2 -> card(d, "worker1").findElement(By.cssSelector(".experiment")).getText().equals("unassigned"));
        assertThat(c.rows("SELECT * FROM experiment_worker_assignments WHERE pioreactor_unit = 'worker1'")).isEmpty();

        // Reboot worker2: confirmed, then the card follows it: rebooting → lost → back and ready.
        wait.until(d2 -> {
          card(d, "worker2").findElement(By.cssSelector("button[aria-label='Reboot worker2']")).click();
          return true;
        });
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("dialog.confirm button[data-confirm]"))).click();
        wait.until(d2 -> card(d, "worker2").getText().contains("rebooting"));
        wait.until(d2 -> card(d, "worker2").getText().contains("lost"));
        c.startWorker("worker2", killSelf);
        wait.until(d2 -> card(d, "worker2").getText().contains("back and ready"));

        // Remove worker2: the confirmation names it; the card goes, and so does its row.
        wait.until(d2 -> {
          card(d, "worker2").findElement(By.cssSelector("button[aria-label='Remove worker2 from the cluster']")).click();
          return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.confirm"), "worker2"));
        d.findElement(By.cssSelector("dialog.confirm button[data-confirm]")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("article.card[data-unit='worker2']"), 0));
        assertThat(c.rows("SELECT * FROM workers WHERE pioreactor_unit = 'worker2'")).isEmpty();

        // 100 workers: time the first render and the updates in the browser (reported, not asserted).
        for (int i = 1; i <= 99; i++) {
          String u = String.format("sim%03d", i);
          assertThat(c.http.send("PUT", "/api/workers", "{\"pioreactor_unit\": \"" + u + "\"}").status()).isEqualTo(201);
        }
        d.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("count"), "100 workers"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("article.card"), 100));
        for (int i = 1; i <= 20; i++) {
          c.http.send("PUT", "/api/workers/" + String.format("sim%03d", i) + "/is_active", "{\"is_active\": 0}");
        }
        wait.until(d2 -> d.findElements(By.cssSelector("article.card.inactive")).size() == 20);
        // Search, filter and the compact table.
        d.findElement(By.id("search")).sendKeys("sim00");
        wait.until(ExpectedConditions.textToBe(By.id("count"), "9 of 100 workers"));
        new Select(d.findElement(By.id("filter-state"))).selectByValue("inactive");
        wait.until(ExpectedConditions.textToBe(By.id("count"), "9 of 100 workers"));
        d.findElement(By.id("search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, "sim");
        wait.until(ExpectedConditions.textToBe(By.id("count"), "20 of 100 workers"));
        d.findElement(By.cssSelector("button[data-view='table']")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table.workers-table tbody tr"), 20));
        d.findElement(By.cssSelector("button[data-view='cards']")).click();
        new Select(d.findElement(By.id("filter-state"))).selectByValue("");
        d.findElement(By.id("search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        wait.until(ExpectedConditions.textToBe(By.id("count"), "100 workers"));
        Object timing = d.executeScript("""
            const first = performance.getEntriesByName('inventory-first-render')[0].startTime;
            const all = performance.getEntriesByName('render-all').map((m) => m.duration).sort((a, b) => a - b);
            const one = performance.getEntriesByName('render-one').map((m) => m.duration).sort((a, b) => a - b);
            const p = (xs, q) => xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] : -1;
            return `100 cards: first render ${first.toFixed(0)} ms after navigation; full render p50 ${p(all, 0.5).toFixed(1)} ms,
            max ${p(all, 1).toFixed(1)} ms (${all.length}); one-card update p50 ${p(one, 0.5).toFixed(1)} ms, max ${p(one, 1).toFixed(1)} ms (${one.length})`;
            """);
        System.out.println("[browser] " + timing);
        Browser.screenshot(d, "inventory-100-workers");
      } finally {
        d.quit();
      }
    }
  }

  @Test
  @DisplayName("with authentication on, the page needs signing in; signed in, it is live")
  void signIn() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.requireSignIn("lab", "bench-secret-1");
      c.startLeader(false);
      c.startWorker("worker1");
      assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker1\"}").status()).isEqualTo(200);
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-3"));
      try {
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        d.get("http://127.0.0.1:" + c.httpPort + "/");
        // The sign-in form, and nothing of the inventory behind it.
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-user")));
        assertThat(d.findElements(By.cssSelector("article.card"))).isEmpty();
        user.sendKeys("lab");
        d.findElement(By.id("signin-password")).sendKeys("wrong-password");
        d.findElement(By.cssSelector("dialog.signin button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.signin .feedback"), "Wrong username or password"));
        d.findElement(By.id("signin-password")).clear();
        d.findElement(By.id("signin-password")).sendKeys("bench-secret-1");
        d.findElement(By.cssSelector("dialog.signin button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(d2 -> card(d, "worker1").getText().contains("ready"));
        wait.until(d2 -> {
          card(d, "worker1").findElement(By.cssSelector("button[aria-label^='Identify worker1']")).click();
          return true;
        });
        wait.until(d2 -> card(d, "worker1").getText().contains("the LED is blinking"));
        // Signed out: the API refuses the page again, and the form comes back.
        d.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-user")));
        assertThat(new Cli("http://127.0.0.1:" + c.httpPort).run("workers", "status").exitCode()).as("the CLI without credentials")
            .isEqualTo(1);
      } finally {
        d.quit();
      }
    }
  }
}
