package io.pioreactor.e2e.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium through its own chromedriver; fails loudly when they are not installed. */
final class Browser {
  private Browser() {}

  static ChromeDriver open(Path profile) {
    Path chromium = Path.of("/usr/bin/chromium");
    Path driver = Path.of("/usr/bin/chromedriver");
    if (!Files.isExecutable(chromium) || !Files.isExecutable(driver)) {
      throw new IllegalStateException("install Debian's chromium and chromium-driver (scripts/test does, as root)");
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium.toFile());
    // Flags that keep Chromium off the network it cannot reach here, and working as root in CI.
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().window().setSize(new Dimension(1280, 900));
    d.manage().timeouts().implicitlyWait(Duration.ZERO);
    return d;
  }

  static void screenshot(ChromeDriver d, String name) throws java.io.IOException {
    Path dir = Path.of("target/screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), d.getScreenshotAs(OutputType.BYTES));
  }

  /** A screenshot for the docs: {@code docs/<name>.png} in the repository (the tests run in e2e-tests/). */
  static void screenshotForDocs(ChromeDriver d, String name) throws java.io.IOException {
    Path docs = Path.of("..", "docs").toAbsolutePath().normalize();
    if (!Files.isDirectory(docs)) {
      throw new IllegalStateException("no docs/ beside e2e-tests/ (" + docs + "): run the tests from the repository");
    }
    Files.write(docs.resolve(name + ".png"), d.getScreenshotAs(OutputType.BYTES));
  }
}
