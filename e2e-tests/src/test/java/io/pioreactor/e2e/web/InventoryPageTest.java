package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
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
      } finally {
        d.quit();
      }
    }
  }
}
