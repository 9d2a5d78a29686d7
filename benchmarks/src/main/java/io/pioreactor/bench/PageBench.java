package io.pioreactor.bench;

import io.pioreactor.leader.telemetry.UnitTime;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The web page's first render with a fleet running jobs, in Debian's headless Chromium (through its chromedriver, as the
 * browser tests drive it). The leader as shipped: the embedded broker with credentials and {@code http.auth} on, so the
 * page signs in (once, through its form; the session cookie then serves every load). {@code units} simulated units
 * (each signed in to the broker as itself) are in the inventory and assigned to one experiment, each with
 * {@code stirring} ({@code target_rpm}), {@code od_reading} ({@code interval}) and {@code growth_rate_calculating}
 * {@code ready} (retained {@code $state} and settings) and {@link #READINGS} stored readings of OD and growth rate over
 * the last minutes (published by the unit, so the first cards' charts have points to draw).
 *
 * <p>Then, {@code loads} times each and interleaved: a fresh load of {@code /#pioreactors/<experiment>} (from
 * {@code about:blank}, so a full navigation, not a hash change) timed from the navigation's start (the document's
 * {@code performance.timeOrigin}) until {@code units} {@code article.pio-card} are in the DOM, seen by a
 * {@code MutationObserver} the bench installs before the page's own scripts run; the page's own mark
 * {@code pioreactors-first-render}; and until the first card's OD and growth-rate charts hold their points (their
 * {@code data-points}, which the page sets from what uPlot holds once drawn). Floor: a fresh load of {@code /#inventory}
 * of the same page with the same units, until {@code units} {@code article.card} (and its mark
 * {@code inventory-first-render}). One load of each before, not counted (the leader's
 * and the browser's first time through them). Chromium runs without its back/forward cache (see {@link #openBrowser}).
 */
final class PageBench {
  static final String EXPERIMENT = "page";
  private static final String PREFIX = "pg";
  /** The shipped config's {@code http.auth} user, with a password of the bench's own. */
  private static final JsonObject AUTH = new JsonObject().put("username", "admin").put("password", "bench-page-signin");
  /** Stored readings per unit of OD ({@code od1}) and of growth rate, one every {@link #READING_SPACING_S} s up to now. */
  static final int READINGS = 20;
  private static final int READING_SPACING_S = 30;
  private static final Map<String, String> STIRRING_SETTINGS = Map.of("target_rpm", "500.0", "duty_cycle", "31.5");
  private static final Map<String, String> OD_SETTINGS = Map.of("interval", "5.0");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
  /** Held, so its level stays: selenium warns on every start that it has no CDP classes for this Chromium (not needed). */
  private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

  /** Milliseconds from the navigation's start, per load; {@code raw}: every load's figures. */
  record Result(int units, int loads, Percentiles pioCards, Percentiles pioMark, Percentiles charts, Percentiles inventoryCards,
                Percentiles inventoryMark, int chartPoints, JsonObject first, JsonArray raw, String browser, long setupMs,
                JsonObject shown) {}

  /** One load's figures (ms from the navigation's start; negative when the page did not say). */
  private record Load(double cards, double mark, double charts, int points, double domContentLoaded, double loadEvent,
                      double render, JsonObject api, JsonArray slow) {
    JsonObject toJson(String view) {
      return new JsonObject().put("view", view).put("cards_ms", cards).put("mark_ms", mark).put("charts_ms", charts)
          .put("chart_points", points).put("dom_content_loaded_ms", domContentLoaded).put("load_event_ms", loadEvent)
          .put("longest_render_ms", render).put("api_response_end_ms", api).put("requests_over_1s", slow);
    }
  }

  private PageBench() {}

  /** Why the part cannot run here (Debian's chromium or chromium-driver missing), or null. */
  static String missing() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      return "no " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM) + " (Debian's chromium and chromium-driver)";
    }
    return null;
  }

  static Result measure(Vertx vertx, Path repo, int units, int loads) throws Exception {
    Path dir = Files.createTempDirectory("bench-page");
    long setupStarted = System.nanoTime();
    try (LeaderProcess leader = LeaderProcess.start(repo, dir, 0, AUTH)) {
      leader.send("POST", "/api/experiments", new JsonObject().put("experiment", EXPERIMENT), 201);
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= units; i++) {
        names.add(PREFIX + i);
      }
      leader.addWorkers(names, EXPERIMENT);
      // The leader reads the retained state of each unit just added (unheard of) for 2 s after its SUBACK; a job's
      // $state published meanwhile can be undone by that read's retained copy (the older "init" handled after the live
      // "ready": docs/bench.md, page). The units connect once those reads are over.
      Thread.sleep(4000);
      try (SimulatedWorkers fleet = SimulatedWorkers.connect(vertx, leader.brokerPort(), PREFIX, units, leader.credentials())) {
        List<Future<Void>> started = new ArrayList<>();
        for (SimulatedWorker w : fleet.all()) {
          started.add(startJob(w, Jobs.STIRRING, STIRRING_SETTINGS));
          started.add(startJob(w, Jobs.OD_READING, OD_SETTINGS));
          started.add(startJob(w, Jobs.GROWTH_RATE_CALCULATING, Map.of()));
        }
        Future.all(started).await();
        Instant now = Instant.now();
        List<Future<Void>> readings = new ArrayList<>();
        for (SimulatedWorker w : fleet.all()) {
          for (int k = 0; k < READINGS; k++) {
            String ts = UnitTime.format(now.minusSeconds((long) (READINGS - 1 - k) * READING_SPACING_S));
            readings.add(w.reading(EXPERIMENT, Jobs.OD_READING, Readings.odChannel(1), new JsonObject()
                .put("od", 0.05 + 0.002 * k).put("angle", "90").put("channel", "1").put("timestamp", ts)));
            readings.add(w.reading(EXPERIMENT, Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE, new JsonObject()
                .put(Readings.GROWTH_RATE, 0.2 + 0.01 * k).put("timestamp", ts)));
          }
        }
        Future.all(readings).await();
        awaitStored(leader, (long) units * READINGS);
        // Every publish above was acknowledged by the broker. Units the leader still shows with a job not ready (or a
        // setting missing) are counted, checked against what the broker retains, and publish their final state again.
        List<String> wrong = jobsNotShown(leader, names, Duration.ofSeconds(15));
        JsonObject shown = new JsonObject().put("units_shown_wrong", wrong.size()).put("examples",
            new JsonArray(List.copyOf(wrong.subList(0, Math.min(3, wrong.size())))));
        if (!wrong.isEmpty()) {
          Map<String, String> retained = retained(vertx, leader, "pioreactor/+/" + EXPERIMENT + "/+/$state");
          long brokerReady = retained.values().stream().filter(JobState.READY.wire()::equals).count();
          shown.put("broker_retained_ready", brokerReady).put("broker_retained_states", retained.size());
          List<Future<Void>> again = new ArrayList<>();
          for (SimulatedWorker w : fleet.all()) {
            if (wrong.stream().anyMatch(x -> x.startsWith(w.unit() + " "))) {
              again.add(publishFinal(w, Jobs.STIRRING, STIRRING_SETTINGS));
              again.add(publishFinal(w, Jobs.OD_READING, OD_SETTINGS));
              again.add(publishFinal(w, Jobs.GROWTH_RATE_CALCULATING, Map.of()));
            }
          }
          Future.all(again).await();
          List<String> still = jobsNotShown(leader, names, Duration.ofSeconds(60));
          if (!still.isEmpty()) {
            throw new IllegalStateException(still.size() + " of " + units + " units not shown with their 3 jobs ready on "
                + "GET /api/workers, even after publishing their state again: " + String.join(", ", still.subList(0, Math.min(3, still.size()))));
          }
        }
        long setupMs = (System.nanoTime() - setupStarted) / 1_000_000;
        return inBrowser(leader, dir, units, loads, setupMs, shown);
      }
    }
  }

  /** A job's retained settings, then its {@code $state} {@code init} → {@code ready}, as a job publishes them. */
  private static Future<Void> startJob(SimulatedWorker w, String job, Map<String, String> settings) {
    Future<Void> f = w.jobState(EXPERIMENT, job, JobState.INIT.wire());
    for (var s : settings.entrySet()) {
      f = f.compose(v -> w.setting(EXPERIMENT, job, s.getKey(), s.getValue()));
    }
    return f.compose(v -> w.jobState(EXPERIMENT, job, JobState.READY.wire()));
  }

  /** The settings and {@code ready} again (no {@code init}): what the job's retained topics already hold. */
  private static Future<Void> publishFinal(SimulatedWorker w, String job, Map<String, String> settings) {
    Future<Void> f = Future.succeededFuture();
    for (var s : settings.entrySet()) {
      f = f.compose(v -> w.setting(EXPERIMENT, job, s.getKey(), s.getValue()));
    }
    return f.compose(v -> w.jobState(EXPERIMENT, job, JobState.READY.wire()));
  }

  /** What the broker retains under {@code filter}, read as the leader's broker user by a client of the bench's own. */
  private static Map<String, String> retained(Vertx vertx, LeaderProcess leader, String filter) {
    Map<String, String> out = new java.util.concurrent.ConcurrentHashMap<>();
    var o = new io.vertx.mqtt.MqttClientOptions().setClientId("bench-retained-" + System.nanoTime())
        .setUsername(io.pioreactor.protocol.testing.TestCredentials.LEADER_USER)
        .setPassword(leader.credentials().password(io.pioreactor.protocol.testing.TestCredentials.LEADER_USER));
    var c = io.vertx.mqtt.MqttClient.create(vertx, o);
    c.connect(leader.brokerPort(), "127.0.0.1").await();
    c.publishHandler(m -> {
      if (m.isRetain()) {
        out.put(m.topicName(), m.payload().toString());
      }
    });
    c.subscribe(filter, 1).await();
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    c.disconnect().await();
    return out;
  }

  private static Result inBrowser(LeaderProcess leader, Path dir, int units, int loads, long setupMs, JsonObject shown)
      throws Exception {
    org.openqa.selenium.chrome.ChromeDriver d = openBrowser(dir.resolve("chromium-profile"));
    try {
      String browser = String.valueOf(d.getCapabilities().getBrowserVersion());
      signIn(d, leader);
      // Before any of the page's scripts, on every document: the instants (performance.now(), from the navigation's
      // start) at which the cards were all there and the first card's charts held points.
      d.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", observer(units)));
      String pio = leader.url("/#pioreactors/" + EXPERIMENT);
      String inventory = leader.url("/#inventory");
      // The first load of each is not counted: the leader's first answers of these reads (JIT) and the browser's first
      // module graph of the view. (The sign-in's load already fetched the static files.)
      JsonObject first = new JsonObject().put("pioreactors", load(d, pio, true).toJson("pioreactors"))
          .put("inventory", load(d, inventory, false).toJson("inventory"));
      List<Load> pioLoads = new ArrayList<>();
      List<Load> inventoryLoads = new ArrayList<>();
      JsonArray raw = new JsonArray();
      for (int i = 0; i < loads; i++) {
        Load p = load(d, pio, true);
        Load v = load(d, inventory, false);
        pioLoads.add(p);
        inventoryLoads.add(v);
        raw.add(p.toJson("pioreactors")).add(v.toJson("inventory"));
      }
      int points = pioLoads.stream().mapToInt(Load::points).min().orElse(0);
      return new Result(units, loads, percentiles(pioLoads, Load::cards), percentiles(pioLoads, Load::mark),
          percentiles(pioLoads, Load::charts), percentiles(inventoryLoads, Load::cards), percentiles(inventoryLoads, Load::mark),
          points, first, raw, browser, setupMs, shown);
    } finally {
      d.quit();
    }
  }

  private static Percentiles percentiles(List<Load> loads, Function<Load, Double> f) {
    List<Long> nanos = new ArrayList<>();
    for (Load l : loads) {
      double ms = f.apply(l);
      if (ms >= 0) {
        nanos.add(Math.round(ms * 1_000_000));
      }
    }
    if (nanos.isEmpty()) {
      throw new IllegalStateException("the page gave no figure for a measure (its performance marks missing?)");
    }
    return Percentiles.of(nanos);
  }

  /** The shipped sign-in: the page's own form, once; its session cookie then comes with every load. */
  private static void signIn(org.openqa.selenium.chrome.ChromeDriver d, LeaderProcess leader) {
    var wait = new org.openqa.selenium.support.ui.WebDriverWait(d, Duration.ofSeconds(30));
    d.get(leader.url("/#inventory"));
    var user = wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
        org.openqa.selenium.By.id("signin-user")));
    user.sendKeys(AUTH.getString("username"));
    d.findElement(org.openqa.selenium.By.id("signin-password")).sendKeys(AUTH.getString("password"));
    d.findElement(org.openqa.selenium.By.cssSelector("dialog.signin button[type=submit]")).click();
    wait.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(org.openqa.selenium.By.id("connection"), "Live"));
  }

  /** A fresh load of {@code url} (from about:blank: a navigation, not a hash change), waited out and read. */
  private static Load load(org.openqa.selenium.chrome.ChromeDriver d, String url, boolean pioreactors) throws InterruptedException {
    d.get("about:blank");
    d.get(url);
    long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
    String done = pioreactors ? "b.cards !== null && b.charts !== null && performance.getEntriesByName('pioreactors-first-render').length"
        : "b.inventory !== null && performance.getEntriesByName('inventory-first-render').length";
    String mark = pioreactors ? "pioreactors-first-render" : "inventory-first-render";
    while (true) {
      Object got = d.executeScript("const b = window.__bench; if (!b || !(" + done + ")) return null;"
          + " const n = performance.getEntriesByType('navigation')[0] || {};"
          + " const m = performance.getEntriesByName('" + mark + "')[0];"
          + " return JSON.stringify({cards: " + (pioreactors ? "b.cards" : "b.inventory") + ", charts: b.charts,"
          + " points: b.points, mark: m ? m.startTime : -1, dcl: n.domContentLoadedEventEnd || -1, load: n.loadEventEnd || -1,"
          + " render: Math.max(-1, ...performance.getEntriesByName('" + (pioreactors ? "pioreactors-render-all" : "render-all")
          + "').map((e) => e.duration)),"
          + " api: Object.fromEntries(performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')"
          + " && !e.name.includes('/time_series/')).map((e) => [new URL(e.name).pathname, Math.round(e.responseEnd)])),"
          + " slow: performance.getEntriesByType('resource').filter((e) => e.duration > 1000).map((e) => ({name: e.name,"
          + " start: e.startTime, connect: e.connectStart, request: e.requestStart, response: e.responseStart, end: e.responseEnd}))});");
      if (got != null) {
        JsonObject o = new JsonObject(got.toString());
        return new Load(ms(o, "cards"), ms(o, "mark"), ms(o, "charts"), o.getInteger("points", 0), ms(o, "dcl"), ms(o, "load"),
            ms(o, "render"), o.getJsonObject("api", new JsonObject()), o.getJsonArray("slow", new JsonArray()));
      }
      if (System.nanoTime() > deadline) {
        Object state = d.executeScript("return JSON.stringify({bench: window.__bench || null, pio: document.querySelectorAll('article.pio-card').length,"
            + " cards: document.querySelectorAll('article.card').length, connection: (document.getElementById('connection') || {}).textContent})");
        throw new IllegalStateException("the page at " + url + " did not finish within " + LOAD_TIMEOUT.toSeconds() + " s: " + state);
      }
      Thread.sleep(50);
    }
  }

  /** A figure of the page's answer; -1 when it gave none. */
  private static double ms(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof Number n ? n.doubleValue() : -1;
  }

  /** What the bench installs in every document before the page's scripts (times in performance.now(), ms). */
  private static String observer(int units) {
    return """
        (() => {
          const b = window.__bench = { cards: null, inventory: null, charts: null, points: 0 };
          const want = %d;
          // Live collections: counting them on every mutation costs next to nothing.
          const pio = document.getElementsByClassName('pio-card');
          const inventory = document.getElementsByClassName('card');
          const check = () => {
            const now = performance.now();
            if (b.cards === null && pio.length >= want) b.cards = now;
            if (b.inventory === null && inventory.length >= want
                && [...inventory].filter((e) => e.tagName === 'ARTICLE').length >= want) b.inventory = now;
            if (b.charts === null && pio.length) {
              const first = pio[0];
              const od = first.querySelector('figure.chart[data-metric="od"]');
              const gr = first.querySelector('figure.chart[data-metric="growth"]');
              if (od && gr && Number(od.dataset.points) > 0 && Number(gr.dataset.points) > 0) {
                b.charts = now;
                b.points = Math.min(Number(od.dataset.points), Number(gr.dataset.points));
              }
            }
            if ((b.cards !== null && b.charts !== null) || b.inventory !== null) observer.disconnect();
          };
          const observer = new MutationObserver(check);
          observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-points'] });
        })();
        """.formatted(units);
  }

  /** Debian's headless Chromium with the browser tests' flags (off the network, working as root). */
  private static org.openqa.selenium.chrome.ChromeDriver openBrowser(Path profile) {
    SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    var o = new org.openqa.selenium.chrome.ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // Without it, each page left for about:blank stays in the back/forward cache with its event stream open, and
        // after a few loads Chromium's 6 connections to the leader are all held: a load then waits ~55 s for one
        // (docs/bench.md, page). That is the page's to fix; this part times the first render.
        "--disable-features=BackForwardCache",
        "--user-data-dir=" + profile);
    var service = new org.openqa.selenium.chrome.ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    var d = new org.openqa.selenium.chrome.ChromeDriver(service, o);
    d.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    return d;
  }

  /** Until the leader's SQLite file holds every published reading (OD and growth rate). */
  private static void awaitStored(LeaderProcess leader, long perTable) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long od = 0;
    long gr = 0;
    while (System.nanoTime() < deadline) {
      od = count(leader.database(), "od_readings");
      gr = count(leader.database(), "growth_rates");
      if (od >= perTable && gr >= perTable) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("stored " + od + " OD and " + gr + " growth-rate readings of " + perTable + " each");
  }

  private static long count(Path database, String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath() + "?busy_timeout=15000");
         // Table names from this class only.
         PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE experiment = ?")) {
      s.setString(1, EXPERIMENT);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /**
   * Waits up to {@code timeout} for {@code GET /api/workers} to show every unit with its three jobs ready and their
   * settings; returns the units it does not (each as "unit (what it shows)").
   */
  private static List<String> jobsNotShown(LeaderProcess leader, List<String> units, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> wrong = new ArrayList<>();
    while (true) {
      JsonArray workers = new JsonArray(leader.get("/api/workers"));
      wrong.clear();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < workers.size(); i++) {
        JsonObject w = workers.getJsonObject(i);
        String unit = w.getString("pioreactor_unit");
        if (!units.contains(unit)) {
          continue;
        }
        seen.add(unit);
        JsonArray acts = w.getJsonArray("activities", new JsonArray());
        int ready = 0;
        for (int j = 0; j < acts.size(); j++) {
          JsonObject a = acts.getJsonObject(j);
          JsonObject settings = a.getJsonObject("settings", new JsonObject());
          boolean complete = switch (String.valueOf(a.getString("job"))) {
            case Jobs.STIRRING -> settings.fieldNames().containsAll(STIRRING_SETTINGS.keySet());
            case Jobs.OD_READING -> settings.fieldNames().containsAll(OD_SETTINGS.keySet());
            default -> true;
          };
          if (EXPERIMENT.equals(a.getString("experiment")) && JobState.READY.wire().equals(a.getString("state")) && complete) {
            ready++;
          }
        }
        if (ready != 3) {
          wrong.add(unit + " (" + w.getString("state") + ": " + acts.encode() + ")");
        }
      }
      units.stream().filter(u -> !seen.contains(u)).forEach(u -> wrong.add(u + " (not listed)"));
      if (wrong.isEmpty() || System.nanoTime() > deadline) {
        return List.copyOf(wrong);
      }
      Thread.sleep(500);
    }
  }
}
