package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

/** The self test from our page, in Debian's headless Chromium: the card's button starts it, the card shows how it went. */
class SelfTestPageTest {
  @TempDir
  Path dir;

  private static WebElement card(ChromeDriver d, String unit) {
    return d.findElement(By.cssSelector("article.pio-card[data-unit='" + unit + "']"));
  }

  private static String selfTest(ChromeDriver d, String unit) {
    return card(d, unit).findElement(By.cssSelector(".self-test")).getText();
  }

  @Test
  @DisplayName("the card's Self test button runs it: 'Self test: passed 6/6 at …' on a healthy unit, the failed check by name and why on a broken one")
  void selfTestFromTheCard() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2", new JsonArray().add("true"),
          new JsonObject().put("mock", new JsonObject().put("broken", new JsonArray().add("thermometer"))));
      c.addAndAssign("trial", "worker1", "worker2");
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile"));
      try {
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        d.get("http://127.0.0.1:" + c.httpPort + "/#pioreactors");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(d2 -> selfTest(d, "worker1").contains("Self test: never run"));

        for (String unit : new String[] {"worker1", "worker2"}) {
          card(d, unit).findElement(By.cssSelector("button[aria-label='Self test " + unit + "']")).click();
        }
        wait.until(d2 -> selfTest(d, "worker1").contains("Self test: passed 6/6 at"));
        wait.until(d2 -> selfTest(d, "worker2").contains("Self test: failed 1/6 at"));
        assertThat(selfTest(d, "worker2")).contains("test_detect_heating_pcb")
            .contains("test_detect_heating_pcb: the heating PCB's thermometer does not answer");
        assertThat(card(d, "worker1").findElement(By.cssSelector("button[aria-label='Self test worker1']")).isEnabled()).isTrue();

        // the Inventory's card says it too, and starts it again from there
        d.get("http://127.0.0.1:" + c.httpPort + "/#inventory");
        By inventoryCard = By.cssSelector("article.card[data-unit='worker2']");
        wait.until(d2 -> d.findElement(inventoryCard).findElement(By.cssSelector("dd.self-test")).getText().startsWith("failed 1/6 at"));
        String before = d.findElement(inventoryCard).findElement(By.cssSelector("dd.self-test")).getText();
        d.findElement(inventoryCard).findElement(By.cssSelector("button[aria-label='Self test worker2']")).click();
        wait.until(d2 -> d.findElement(inventoryCard).getText().contains("Self test worker2: running"));
        wait.until(d2 -> {
          String now = d.findElement(inventoryCard).findElement(By.cssSelector("dd.self-test")).getText();
          return now.startsWith("failed 1/6 at") && !now.equals(before);
        });
      } finally {
        d.quit();
      }
    }
  }
}
