package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cli;
import io.pioreactor.e2e.Cluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A worker whose state directory is a small filesystem that fills up: its health warning shows in the API, in
 * {@code pio workers status} (the CLI as a process) and on its card in the page, and goes from all three once the space
 * returns. Real daemons, a real tmpfs, Debian's headless Chromium.
 */
class DiskFullHealthTest {
  @TempDir
  Path dir;

  private static JsonObject worker(Cluster c, String unit) {
    return (JsonObject) c.http.get("/api/workers/" + unit).json();
  }

  private static JsonArray warnings(Cluster c, String unit) {
    JsonObject h = worker(c, unit).getJsonObject("health");
    return h == null ? null : h.getJsonArray("warnings");
  }

  /** The unit's HEALTH cell in {@code pio workers status}: from its header's column to the next header's. */
  private static String healthCell(Cluster c, String unit) {
    try {
      Cli.Result r = c.cli.run("workers", "status");
      assertThat(r.exitCode()).as(r.err()).isZero();
      String header = r.out().lines().filter(l -> l.startsWith("UNIT ")).findFirst().orElse("");
      String line = r.out().lines().filter(l -> l.startsWith(unit + " ")).findFirst().orElse("");
      int from = header.indexOf("HEALTH");
      int to = nextColumn(header, from);
      return from < 0 || line.length() <= from ? "" : " " + line.substring(from, Math.min(to, line.length())).strip();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the column after the one at {@code from} starts (the header's next word), or the header's end. */
  private static int nextColumn(String header, int from) {
    int i = header.indexOf(' ', from);
    while (i >= 0 && i < header.length() && header.charAt(i) == ' ') {
      i++;
    }
    return i < 0 || i >= header.length() ? Integer.MAX_VALUE : i;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("a worker's disk fills up: its warning shows in GET /api/workers, pio workers status and on its card, and clears when space returns (embedded broker and mosquitto with its ACL)")
  void diskFullWarnsAndClears(boolean embedded) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "mounting a small tmpfs as the worker's state directory needs root (CI and scripts/test run as root)");
    Path state = Files.createDirectories(dir.resolve("worker1-state"));
    run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", state.toString());
    try (Cluster c = new Cluster(dir, embedded)) {
      c.startLeader(false);
      c.startWorker("worker1", new JsonObject().put("state_dir", state.toString())
          .put("health", new JsonObject().put("interval_seconds", 3).put("check_seconds", 1).put("min_interval_seconds", 1)));
      assertThat(c.cli.run("workers", "add", "worker1").exitCode()).isZero();
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"worker1\"}").status()).isEqualTo(200);
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile"));
      try {
        WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        By card = By.cssSelector("article.card[data-unit='worker1']");
        By diskWarning = By.cssSelector("article.card[data-unit='worker1'] .health-warning[data-check='disk']");

        // Healthy: figures known, no warnings anywhere.
        wait.until(x -> warnings(c, "worker1") != null);
        JsonObject health = worker(c, "worker1").getJsonObject("health");
        assertThat(health.getJsonObject("disk").getString("path")).isEqualTo(state.toString());
        assertThat(health.getJsonObject("disk").getLong("total_bytes")).isEqualTo(4L * 1024 * 1024);
        assertThat(health.getBoolean("hat_detected")).isTrue();
        assertThat(warnings(c, "worker1")).isEmpty();
        assertThat(healthCell(c, "worker1")).as("the HEALTH column").endsWith(" ok");
        d.get("http://127.0.0.1:" + c.httpPort + "/");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(ExpectedConditions.presenceOfElementLocated(card));
        assertThat(d.findElements(diskWarning)).isEmpty();

        // Full.
        Path filler = state.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
          byte[] block = new byte[64 * 1024];
          while (true) {
            out.write(block);
          }
        } catch (IOException full) {
          // the filesystem is full now
        }
        wait.until(x -> warnings(c, "worker1").stream().anyMatch(w -> "disk".equals(((JsonObject) w).getString("check"))));
        String message = warnings(c, "worker1").getJsonObject(0).getString("message");
        assertThat(message).matches("disk \\d+(\\.\\d)? % free on " + java.util.regex.Pattern.quote(state.toString()) + " \\(below 10 %\\)");
        wait.until(x -> healthCell(c, "worker1").contains("disk "));
        assertThat(healthCell(c, "worker1")).containsPattern("disk \\d+(\\.\\d)? % free$");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(diskWarning, message));
        Browser.screenshot(d, "disk-full-card" + (embedded ? "" : "-mosquitto"));
        // The Pioreactors view's card says it too, and both follow the clearing live.
        By unitWarning = By.cssSelector("article.pio-card[data-unit='worker1'] .health-warning[data-check='disk']");
        d.get("http://127.0.0.1:" + c.httpPort + "/#pioreactors/e1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(unitWarning, message));

        // Space returns.
        Files.delete(filler);
        wait.until(x -> warnings(c, "worker1").isEmpty());
        wait.until(x -> healthCell(c, "worker1").endsWith(" ok"));
        wait.until(ExpectedConditions.numberOfElementsToBe(unitWarning, 0));
        d.get("http://127.0.0.1:" + c.httpPort + "/#inventory");
        wait.until(ExpectedConditions.presenceOfElementLocated(card));
        assertThat(d.findElements(diskWarning)).isEmpty();

        // Said once each, as the leader's own WARNING lines, stored like the others.
        wait.until(x -> {
          JsonArray lines = (JsonArray) c.http.get("/api/logs?unit=leader&min_level=warning").json();
          List<String> texts = lines.stream().map(o -> ((JsonObject) o).getString("message")).toList();
          return texts.stream().filter(t -> t.startsWith("worker1: health warning: disk")).count() == 1
              && texts.stream().filter(t -> t.startsWith("worker1: health warning cleared (disk)")).count() == 1;
        });
      } finally {
        d.quit();
      }
    } finally {
      run("umount", "-l", state.toString());
    }
  }
}
