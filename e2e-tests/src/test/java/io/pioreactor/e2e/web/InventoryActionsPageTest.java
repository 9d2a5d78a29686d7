package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Inventory page's power and bulk actions in Debian's headless Chromium, against a real leader and worker daemons:
 * Shut down from a worker's card, and Unassign all workers. (The worker's {@code shutdown_command} in the test config
 * records that it ran; see {@link Cluster#ran}.)
 */
class InventoryActionsPageTest {
  @TempDir
  Path dir;

  private static WebElement card(ChromeDriver d, String unit) {
    return d.findElement(By.cssSelector("article.card[data-unit='" + unit + "']"));
  }

  private static WebDriverWait open(ChromeDriver d, Cluster c) {
    WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    d.get("http://127.0.0.1:" + c.httpPort + "/");
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
    return wait;
  }

  @Test
  @DisplayName("Shut down on a card asks first, saying the unit must be powered on by hand, then runs the worker's shutdown command and says so")
  void shutDownFromTheCard() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.addAndAssign("e1", "worker1");
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-shutdown"));
      try {
        WebDriverWait wait = open(d, c);
        wait.until(x -> card(d, "worker1").getText().contains("ready"));
        wait.until(x -> {
          card(d, "worker1").findElement(By.cssSelector("button[aria-label='Shut down worker1']")).click();
          return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.confirm"), "power it on by hand"));
        // Cancelled: nothing is sent.
        d.findElement(By.cssSelector("dialog.confirm button.secondary")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog.confirm"), 0));
        assertThat(c.ran("worker1", true)).isFalse();

        wait.until(x -> {
          card(d, "worker1").findElement(By.cssSelector("button[aria-label='Shut down worker1']")).click();
          return true;
        });
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("dialog.confirm button[data-confirm]"))).click();
        wait.until(x -> card(d, "worker1").getText().contains("it is powering off; power it on by hand"));
        wait.until(x -> c.ran("worker1", true));
        assertThat(c.ran("worker1", false)).as("a shutdown, not a reboot").isFalse();
      } finally {
        d.quit();
      }
    }
  }

  @Test
  @DisplayName("Unassign all workers asks first, naming who leaves which experiment, then every assignment is gone, the page says so and the cards show it")
  void unassignAllWorkers() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      c.addAndAssign("e1", "worker1");
      assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker2\"}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e2\"}").status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/experiments/e2/workers", "{\"pioreactor_unit\": \"worker2\"}").status()).isEqualTo(200);
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile-unassign"));
      try {
        WebDriverWait wait = open(d, c);
        wait.until(x -> card(d, "worker2").findElement(By.cssSelector(".experiment")).getText().equals("e2"));
        d.findElement(By.id("unassign-all")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog.confirm"), "worker1 (e1), worker2 (e2)"));
        d.findElement(By.cssSelector("dialog.confirm button[data-confirm]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-feedback"),
            "Unassigned 2 workers: worker1 from e1, worker2 from e2"));
        assertThat(c.rows("SELECT * FROM experiment_worker_assignments")).isEmpty();
        for (String unit : new String[] {"worker1", "worker2"}) {
          wait.until(x -> card(d, unit).findElement(By.cssSelector(".experiment")).getText().equals("unassigned"));
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.summary tr.unassigned"), "worker1, worker2"));

        // Again, with nobody assigned: it says nothing changed.
        d.findElement(By.id("unassign-all")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("dialog.confirm button[data-confirm]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-feedback"), "No worker was assigned; nothing changed"));
      } finally {
        d.quit();
      }
    }
  }
}
