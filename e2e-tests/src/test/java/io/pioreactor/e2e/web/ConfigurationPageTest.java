package io.pioreactor.e2e.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.e2e.Cluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

/** The web page's Configuration view in Debian's headless Chromium, against a real leader and worker daemons. */
class ConfigurationPageTest {
  private static final List<String> UNITS = List.of("worker1", "worker2");
  private static final By EDITOR = By.cssSelector("#configuration-view textarea.ini-input");
  private static final By FEEDBACK = By.id("cfg-feedback");
  private static final By DIALOG = By.cssSelector("dialog.confirm");

  @TempDir
  Path dir;

  private static WebDriverWait waitFor(ChromeDriver d, int seconds) {
    WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private static String editorText(ChromeDriver d) {
    return d.findElement(EDITOR).getDomProperty("value");
  }

  /** Replaces the editor's text as a paste would (an input event; typing 2 KB key by key only costs time). */
  private static void paste(ChromeDriver d, String text) {
    d.executeScript("const t = arguments[0]; t.value = arguments[1]; t.dispatchEvent(new Event('input', {bubbles: true}));",
        d.findElement(EDITOR), text);
  }

  /** The 1-based line of the first line of {@code text} that is exactly {@code line}. */
  private static int lineOf(String text, String line) {
    List<String> lines = List.of(text.split("\n", -1));
    int i = lines.indexOf(line);
    assertThat(i).as("a line '%s' in the text", line).isNotNegative();
    return i + 1;
  }

  /** The statuses the leader reports, unit → {state, version, …}. */
  private static Map<String, Object> statuses(Cluster c) {
    return ((JsonObject) c.http.get("/api/config/status").json()).getMap();
  }

  private static String version(Cluster c, String unit) {
    return ((JsonObject) c.http.get("/api/config/status").json()).getJsonObject(unit).getString("version");
  }

  /** Waits until the leader says {@code unit} runs the configuration it was last sent; returns that version. */
  private static String untilCurrent(Cluster c, WebDriverWait wait, String unit) {
    wait.withMessage(() -> unit + " to apply its configuration; the leader says " + statuses(c).get(unit) + "; " + unit + " says "
        + c.retained.get(io.pioreactor.protocol.Topics.configStatus(unit)))
        .until(d2 -> "current".equals(((JsonObject) c.http.get("/api/config/status").json()).getJsonObject(unit).getString("state")));
    return version(c, unit);
  }

  /** Clicks Save, checks the diff the dialog shows, and confirms (or cancels). */
  private static WebElement saveAndSeeDiff(ChromeDriver d, WebDriverWait wait, List<String> removed, List<String> added) {
    d.findElement(By.id("cfg-save")).click();
    WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(DIALOG));
    List<String> removedRows = dialog.findElements(By.cssSelector("tr.diff-removed td.text")).stream().map(WebElement::getText).toList();
    List<String> addedRows = dialog.findElements(By.cssSelector("tr.diff-added td.text")).stream().map(WebElement::getText).toList();
    assertThat(removedRows).as("lines the diff shows removed").containsExactlyElementsOf(removed);
    assertThat(addedRows).as("lines the diff shows added").containsExactlyElementsOf(added);
    assertThat(dialog.findElement(By.cssSelector(".diff-summary")).getText())
        .isEqualTo(removed.size() + (removed.size() == 1 ? " line" : " lines") + " removed, " + added.size() + " added");
    return dialog;
  }

  /** The problem the page shows for a refused save: marked in the gutter at {@code line}, listed, and scrolled into view. */
  private static void seeRefusedAt(ChromeDriver d, WebDriverWait wait, int line, String message) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(FEEDBACK,
        "Not saved: the leader refused it (1 problem); nothing was stored or sent."));
    List<WebElement> marked = d.findElements(By.cssSelector(".ini-editor .gutter .problem"));
    assertThat(marked).hasSize(1);
    assertThat(marked.get(0).getAttribute("data-line")).isEqualTo(String.valueOf(line));
    assertThat(marked.get(0).getAttribute("title")).contains(message);
    assertThat(d.findElement(By.cssSelector(".ini-editor .ini-lines")).findElements(By.cssSelector(".ini-line")).get(line - 1)
        .getAttribute("class")).contains("problem");
    WebElement problem = d.findElement(By.cssSelector("#cfg-problems li.error"));
    assertThat(problem.getText()).startsWith("line " + line + ": ").contains(message);
    // In view: the marked line is inside the editor's visible box, and the caret is on it.
    Object inView = d.executeScript("""
        const mark = document.querySelector('.ini-editor .gutter .problem').getBoundingClientRect();
        const box = document.querySelector('.ini-editor').getBoundingClientRect();
        return mark.top >= box.top && mark.bottom <= box.bottom && box.top >= 0 && box.top < window.innerHeight;
        """);
    assertThat(inView).as("the refused line scrolled into view").isEqualTo(true);
    Object caretLine = d.executeScript("const t = arguments[0]; return t.value.slice(0, t.selectionStart).split('\\n').length;",
        d.findElement(EDITOR));
    assertThat(((Number) caretLine).intValue()).isEqualTo(line);
  }

  @Test
  @DisplayName("the shared configuration edited in the page: a duplicate option is refused at its line (marked, listed, scrolled to) and nothing "
      + "is stored, as is a change to the leader's own [mqtt]; fixed, Save shows the diff and, confirmed, every card goes to 'config: current' "
      + "with the new version; a stored version viewed and restored (diff, cancelled); a unit's own options and its merged configuration")
  void editTheSharedConfiguration() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      for (String u : UNITS) {
        c.startWorker(u);
      }
      c.addAndAssign("cfg", UNITS.toArray(String[]::new));
      ChromeDriver d = Browser.open(dir.resolve("chromium-profile"));
      try {
        WebDriverWait wait = waitFor(d, 20);
        for (String u : UNITS) {
          untilCurrent(c, waitFor(d, 30), u);
        }
        String versionBefore = version(c, "worker1");
        // A job running through the change keeps the version it started with (the worker says so).
        assertThat(c.http.send("POST", Cluster.runJobPath("worker1", "cfg", "stirring"), "{}").status()).isEqualTo(200);
        d.get("http://127.0.0.1:" + c.httpPort + "/#configuration");
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "Live"));
        wait.until(d2 -> d.getCurrentUrl().endsWith("#configuration/shared"));
        assertThat(d.findElement(By.cssSelector("a[data-nav='configuration']")).getAttribute("aria-current")).isEqualTo("page");
        assertThat(d.findElement(By.id("page-title")).getText()).isEqualTo("Configuration");
        String stored = c.http.get("/api/config/shared").body();
        wait.until(d2 -> editorText(d).equals(stored));
        // Coloured: section headers, comments and options each have their own look.
        assertThat(d.findElements(By.cssSelector(".ini-editor .ini-section"))).extracting(WebElement::getText).contains("[stirring.config]");
        assertThat(d.findElements(By.cssSelector(".ini-editor .ini-key"))).extracting(WebElement::getText).contains("initial_target_rpm");
        assertThat(d.findElements(By.cssSelector(".ini-editor .ini-comment"))).isNotEmpty();
        assertThat(d.findElements(By.cssSelector(".ini-editor .gutter > div"))).hasSize(stored.split("\n").length);
        // The status beside the editor: every unit current.
        for (String u : UNITS) {
          wait.until(d2 -> d.findElement(By.cssSelector("#cfg-status li[data-unit='" + u + "']")).getText()
              .contains("config: current (version " + versionBefore + ")"));
        }
        String historyBefore = c.http.get("/api/config/shared/history").body();
        assertThat(((JsonArray) c.http.get("/api/config/shared/history").json())).hasSize(1);

        // initial_target_rpm to 300, and an option written twice near the end: refused at the duplicate's line.
        String with300 = stored.replace("initial_target_rpm=500\n", "initial_target_rpm=300\n");
        assertThat(with300).isNotEqualTo(stored);
        String duplicated = with300.replace("profiles=1\n", "profiles=1\ndosings=1\n");
        int duplicateLine = lineOf(duplicated, "dosings=1");
        int firstLine = lineOf(duplicated, "dosings=0");
        paste(d, duplicated);
        wait.until(d2 -> d.findElement(By.id("cfg-dirty")).isDisplayed());
        WebElement dialog = saveAndSeeDiff(d, wait, List.of("initial_target_rpm=500"), List.of("initial_target_rpm=300", "dosings=1"));
        assertThat(dialog.getText()).contains("Saving sends every unit its new configuration at once.");
        dialog.findElement(By.cssSelector("button[data-confirm]")).click();
        seeRefusedAt(d, wait, duplicateLine, "option 'dosings' appears twice in [ui.overview.cards] (first on line " + firstLine + "); keep one");
        assertThat(c.http.get("/api/config/shared/history").body()).as("nothing stored").isEqualTo(historyBefore);
        assertThat(c.http.get("/api/config/shared").body()).isEqualTo(stored);
        assertThat(editorText(d)).as("the edit is kept to be fixed").isEqualTo(duplicated);
        Browser.screenshotForDocs(d, "configuration");
        Browser.screenshot(d, "configuration-refused");
        d.manage().window().setSize(new Dimension(390, 844));
        Browser.screenshot(d, "configuration-phone");
        d.manage().window().setSize(new Dimension(1280, 900));

        // The leader's own [mqtt] changed: refused too, at that line, and nothing stored.
        Matcher port = Pattern.compile("(?m)^broker_port=(\\d+)$").matcher(with300);
        assertThat(port.find()).isTrue();
        String portChanged = with300.replace(port.group(), "broker_port=1");
        int portLine = lineOf(portChanged, "broker_port=1");
        paste(d, portChanged);
        saveAndSeeDiff(d, wait, List.of("initial_target_rpm=500", port.group()), List.of("initial_target_rpm=300", "broker_port=1"))
            .findElement(By.cssSelector("button[data-confirm]")).click();
        seeRefusedAt(d, wait, portLine, "[mqtt] broker_port is the leader's own (" + port.group(1) + ")");
        assertThat(c.http.get("/api/config/shared/history").body()).as("nothing stored").isEqualTo(historyBefore);

        // Fixed, plus a comment typed at the end: Save shows the diff, and confirmed, it is stored and sent.
        paste(d, with300);
        d.findElement(EDITOR).sendKeys(Keys.chord(Keys.CONTROL, Keys.END), "; set from the browser test\n");
        String saved = with300 + "; set from the browser test\n";
        wait.until(d2 -> editorText(d).equals(saved));
        wait.until(d2 -> d.findElements(By.cssSelector(".ini-editor .gutter > div")).size() == saved.split("\n").length);
        // A line more: the marks go (their numbers would point elsewhere); the list stays, saying it is of the text as sent.
        assertThat(d.findElements(By.cssSelector(".ini-editor .gutter .problem"))).isEmpty();
        assertThat(d.findElement(By.id("cfg-problems")).isDisplayed()).isTrue();
        assertThat(d.findElement(By.id("cfg-problems")).getAttribute("class")).contains("stale");
        dialog = saveAndSeeDiff(d, wait, List.of("initial_target_rpm=500"), List.of("initial_target_rpm=300", "; set from the browser test"));
        Browser.screenshot(d, "configuration-diff");
        dialog.findElement(By.cssSelector("button[data-confirm]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(FEEDBACK, "Saved the shared configuration and sent it to every unit"));
        assertThat(d.findElements(By.cssSelector(".ini-editor .gutter .problem"))).isEmpty();
        assertThat(d.findElement(By.id("cfg-problems")).isDisplayed()).isFalse();
        assertThat(d.findElement(By.id("cfg-dirty")).isDisplayed()).isFalse();
        JsonArray history = (JsonArray) c.http.get("/api/config/shared/history").json();
        assertThat(history).hasSize(2);
        assertThat(history.getJsonObject(0).getString("data")).contains("initial_target_rpm=300\n").endsWith("; set from the browser test\n");
        assertThat(c.http.get("/api/config/shared").body()).contains("initial_target_rpm=300\n");

        // Every unit applies it: the leader says so, and so does each card (live, from the "config" events).
        String versionAfter = null;
        for (String u : UNITS) {
          versionAfter = untilCurrent(c, waitFor(d, 30), u);
        }
        assertThat(versionAfter).isNotEqualTo(versionBefore);
        assertThat(version(c, "worker1")).isEqualTo(version(c, "worker2"));
        String expected = "config: current (version " + versionAfter + ")";
        for (String u : UNITS) {
          wait.until(d2 -> d.findElement(By.cssSelector("#cfg-status li[data-unit='" + u + "']")).getText().contains(expected));
        }
        d.findElement(By.cssSelector("a[data-nav='inventory']")).click();
        for (String u : UNITS) {
          wait.until(d2 -> d.findElement(By.cssSelector("article.card[data-unit='" + u + "'] .config-state")).getText().equals(expected));
        }
        wait.until(d2 -> d.findElement(By.cssSelector("article.card[data-unit='worker1'] .config-older")).getText()
            .equals("jobs on an older version: stirring"));
        assertThat(d.findElements(By.cssSelector("article.card[data-unit='worker2'] .config-older"))).isEmpty();
        d.findElement(By.cssSelector("a[data-nav='pioreactors']")).click();
        wait.until(d2 -> d.findElement(By.cssSelector("article.pio-card[data-unit='worker1'] .config-older")).getText()
            .equals("jobs on an older version: stirring"));
        assertThat(d.findElement(By.cssSelector("article.pio-card[data-unit='worker2'] .config-state")).getText()).isEqualTo(expected);
        // Stopped, it is gone: nothing runs an older version any more.
        assertThat(c.http.send("POST", "/api/workers/worker1/jobs/stop/job_name/stirring/experiments/cfg", null).status()).isEqualTo(200);
        wait.until(d2 -> d.findElements(By.cssSelector("article.pio-card[data-unit='worker1'] .config-older")).isEmpty());
        d.findElement(By.cssSelector("a[data-nav='inventory']")).click();
        wait.until(d2 -> d.findElements(By.cssSelector("article.card[data-unit='worker1'] .config-older")).isEmpty());
        assertThat(d.findElement(By.cssSelector("article.card[data-unit='worker1'] .config-state")).getText()).isEqualTo(expected);

        // Back on the Configuration view: the history, newest first; the older version viewed, restored, its diff cancelled.
        d.findElement(By.cssSelector("a[data-nav='configuration']")).click();
        wait.until(d2 -> d.findElements(By.cssSelector(".config-history li")).size() == 2);
        List<WebElement> rows = d.findElements(By.cssSelector(".config-history li"));
        assertThat(rows.get(0).getText()).contains("current");
        assertThat(rows.get(0).getAttribute("data-timestamp")).isEqualTo(history.getJsonObject(0).getString("timestamp"));
        assertThat(rows.get(1).getAttribute("data-timestamp")).isEqualTo(history.getJsonObject(1).getString("timestamp"));
        rows.get(1).findElement(By.cssSelector("button[aria-label^='View the version of']")).click();
        dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(DIALOG));
        assertThat(dialog.findElements(By.cssSelector(".ini-view .ini-line"))).extracting(WebElement::getText).contains("initial_target_rpm=500");
        dialog.findElement(By.cssSelector("button[data-confirm]")).click(); // "Restore into the editor"
        wait.until(d2 -> editorText(d).contains("initial_target_rpm=500\n"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(FEEDBACK, "Save to store it"));
        assertThat(d.findElement(By.id("cfg-dirty")).isDisplayed()).isTrue();
        dialog = saveAndSeeDiff(d, wait, List.of("initial_target_rpm=300", "; set from the browser test"), List.of("initial_target_rpm=500"));
        dialog.findElement(By.cssSelector(".dialog-buttons button.secondary")).click();
        wait.until(ExpectedConditions.textToBe(FEEDBACK, "Not saved."));
        assertThat(((JsonArray) c.http.get("/api/config/shared/history").json())).hasSize(2);
        d.findElement(By.id("cfg-revert")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(DIALOG)).findElement(By.cssSelector("button[data-confirm]")).click();
        wait.until(d2 -> editorText(d).equals(c.http.get("/api/config/shared").body()));

        // worker1's own options: empty at first; saved with its diff, only worker1 gets a new version; its merged view has both.
        new Select(d.findElement(By.id("cfg-target"))).selectByValue("unit:worker1");
        wait.until(d2 -> d.getCurrentUrl().endsWith("#configuration/units/worker1"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cfg-status"), "config: current (version " + versionAfter + ")"));
        assertThat(editorText(d)).isEmpty();
        d.findElement(By.id("cfg-merged-title")).click();
        wait.until(d2 -> d.findElements(By.cssSelector("#cfg-merged .ini-line")).stream().anyMatch(l -> l.getText().equals("initial_target_rpm=300")));
        paste(d, "[stirring.config]\ninitial_target_rpm=350\n");
        dialog = saveAndSeeDiff(d, wait, List.of(), List.of("[stirring.config]", "initial_target_rpm=350"));
        assertThat(dialog.getText()).contains("Saving sends worker1 its new configuration at once.");
        dialog.findElement(By.cssSelector("button[data-confirm]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(FEEDBACK, "Saved worker1's specific configuration and sent it to worker1"));
        String worker1Version = untilCurrent(c, waitFor(d, 30), "worker1");
        assertThat(worker1Version).isNotEqualTo(versionAfter);
        assertThat(version(c, "worker2")).isEqualTo(versionAfter);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cfg-status"), "config: current (version " + worker1Version + ")"));
        wait.until(d2 -> d.findElements(By.cssSelector("#cfg-merged .ini-line")).stream().anyMatch(l -> l.getText().equals("initial_target_rpm=350")));
        assertThat(((JsonArray) c.http.get("/api/config/units/worker1/specific/history").json())).hasSize(1);
        Browser.screenshot(d, "configuration-unit");
        d.findElement(By.cssSelector("a[data-nav='inventory']")).click();
        wait.until(d2 -> d.findElement(By.cssSelector("article.card[data-unit='worker1'] .config-status")).getText()
            .equals("config: current (version " + worker1Version + ")"));
        assertThat(d.findElement(By.cssSelector("article.card[data-unit='worker2'] .config-state")).getText()).isEqualTo(expected);
      } finally {
        d.quit();
      }
    }
  }
}
