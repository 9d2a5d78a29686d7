package io.pioreactor.leader.api;

import io.pioreactor.leader.clusterconfig.ClusterConfigService;
import io.pioreactor.leader.clusterconfig.ConfigDeliveries;
import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The cluster configuration, in upstream's paths and shapes (docs/api.md): the shared INI, each unit's specific INI,
 * their histories, a unit's merged configuration; and ours: what each unit runs ({@code /api/config/status}) and a
 * re-send that waits for the answers ({@code POST /api/config/sync}, {@code pios sync-configs}); and upstream's download of
 * them all ({@code GET /api/config/zipped}).
 */
final class ConfigRoutes {
  static final long MAX_SYNC_WAIT_MS = 60_000;
  /** Upstream's {@code current_utc_timestamp()}: milliseconds, {@code Z}. */
  private static final DateTimeFormatter UPSTREAM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private final ClusterConfigService configs;
  private final ConfigDeliveries deliveries;
  private final InventoryService inventory;
  private final String leaderUnit;

  ConfigRoutes(ClusterConfigService configs, ConfigDeliveries deliveries, InventoryService inventory, String leaderUnit) {
    this.configs = configs;
    this.deliveries = deliveries;
    this.inventory = inventory;
    this.leaderUnit = leaderUnit;
  }

  void mount(Router r) {
    r.get("/api/config/shared").handler(ctx -> text(ctx, configs.shared(seenAs(ctx))));
    r.patch("/api/config/shared").handler(ctx -> HttpApi.json(ctx, 200,
        configs.updateShared(code(ctx), seenAs(ctx)).map(v -> new JsonObject().put("status", "success"))));
    r.get("/api/config/shared/history").handler(ctx -> HttpApi.json(ctx, 200, configs.sharedHistory(seenAs(ctx))));
    r.get("/api/config/units/:unit").handler(this::merged);
    r.get("/api/config/units/:unit/specific").handler(ctx -> text(ctx, configs.specific(unit(ctx))));
    r.patch("/api/config/units/:unit/specific").handler(ctx -> HttpApi.json(ctx, 200,
        configs.updateSpecific(unit(ctx), code(ctx)).map(v -> new JsonObject().put("status", "success"))));
    r.get("/api/config/units/:unit/specific/history").handler(ctx -> HttpApi.json(ctx, 200, configs.specificHistory(unit(ctx))));
    r.get("/api/config/status").handler(ctx -> HttpApi.json(ctx, 200, inventory.rows().map(rows -> {
      JsonObject out = new JsonObject();
      rows.forEach(w -> out.put(w.unit(), deliveries.status(w.unit())));
      return out;
    })));
    r.post("/api/config/sync").handler(this::sync);
    r.get("/api/config/zipped").handler(this::zipped);
  }

  /**
   * Upstream's "Download all configurations": {@code configuration_inis.zip} with {@code config.ini} (the shared text as
   * {@code GET /api/config/shared} gives it to this reader), {@code <unit>/unit_config.ini} for every unit in the
   * inventory (empty: none) and upstream's {@code metadata.json}. The leader holds every text, so no unit is omitted.
   */
  private void zipped(RoutingContext ctx) {
    Future<String> shared = configs.shared(seenAs(ctx));
    Future<Map<String, String>> specifics = inventory.rows().compose(rows -> {
      List<String> units = rows.stream().map(w -> w.unit()).sorted().toList();
      List<Future<String>> texts = units.stream().map(configs::specific).toList();
      return Future.all(texts).map(v -> {
        Map<String, String> byUnit = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
          byUnit.put(units.get(i), texts.get(i).result());
        }
        return byUnit;
      });
    });
    Future.all(shared, specifics).map(v -> zip(shared.result(), specifics.result(), Instant.now()))
        .onSuccess(bytes -> ctx.response().putHeader("content-type", "application/zip")
            .putHeader("content-disposition", "attachment; filename=configuration_inis.zip")
            .putHeader("cache-control", "no-store").end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }

  /** The archive upstream's {@code GET /api/config/zipped} answers, its entries in upstream's order. */
  static byte[] zip(String shared, Map<String, String> specificByUnit, Instant at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonArray included = new JsonArray().add("config.ini");
    try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      entry(zip, "config.ini", shared, at);
      for (Map.Entry<String, String> e : specificByUnit.entrySet()) {
        String name = e.getKey() + "/unit_config.ini";
        entry(zip, name, e.getValue(), at);
        included.add(name);
      }
      JsonObject metadata = new JsonObject().put("metadata_version", 1).put("downloaded_at_utc", UPSTREAM_TIME.format(at))
          .put("included_config_files", included).put("omitted_units", new JsonArray());
      entry(zip, "metadata.json", metadata.encode(), at);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // (writing to memory)
    }
    return out.toByteArray();
  }

  private static void entry(ZipOutputStream zip, String name, String text, Instant at) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTime(at.toEpochMilli());
    zip.putNextEntry(e);
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  /** Upstream: {@code {"configs": {unit: {section: {key: value}}}, "errors": {}}}; {@code $broadcast} for every unit. */
  private void merged(RoutingContext ctx) {
    String unit = unit(ctx);
    Future<List<String>> units = Topics.BROADCAST.equals(unit)
        ? inventory.rows().map(rows -> rows.stream().map(w -> w.unit()).toList())
        : configs.specific(unit).map(v -> List.of(unit)); // (404 for a unit not in the inventory)
    HttpApi.json(ctx, 200, units.compose(list -> {
      return configs.effectiveOfAll(list).map(byUnit -> {
        JsonObject configsByUnit = new JsonObject();
        byUnit.forEach((u, ini) -> {
          JsonObject sections = new JsonObject();
          ini.asMap().forEach((s, kv) -> sections.put(s, new JsonObject(new java.util.LinkedHashMap<>(kv))));
          configsByUnit.put(u, sections);
        });
        return new JsonObject().put("configs", configsByUnit).put("errors", new JsonObject());
      });
    }));
  }

  private void sync(RoutingContext ctx) {
    JsonObject b = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : Bodies.object(ctx);
    List<String> units = new ArrayList<>();
    Object given = b.getValue("units");
    if (given != null) {
      if (!(given instanceof JsonArray a) || a.stream().anyMatch(u -> !(u instanceof String)) || a.size() > 1_000) {
        throw ApiException.badRequest("'units' must be a list of unit names");
      }
      a.forEach(u -> units.add((String) u));
    }
    Object t = b.getValue("timeout_seconds", 15);
    if (!(t instanceof Number n) || n.doubleValue() <= 0 || n.doubleValue() * 1000 > MAX_SYNC_WAIT_MS) {
      throw ApiException.badRequest("'timeout_seconds' must be a number from 0 to " + MAX_SYNC_WAIT_MS / 1000);
    }
    HttpApi.json(ctx, 200, deliveries.sync(units, Math.round(((Number) t).doubleValue() * 1000))
        .map(rows -> new JsonObject().put("results", rows)));
  }

  private static String code(RoutingContext ctx) {
    return Bodies.string(Bodies.object(ctx), "code", true);
  }

  private static String unit(RoutingContext ctx) {
    return ctx.pathParam("unit");
  }

  /** The address the reader reached the leader at: what its browser should use for the leader and the broker. */
  private String seenAs(RoutingContext ctx) {
    return ctx.request().authority() == null ? leaderUnit + ".local" : ctx.request().authority().host();
  }

  private static void text(RoutingContext ctx, Future<String> body) {
    body.onSuccess(t -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8").putHeader("cache-control", "no-store").end(t))
        .onFailure(ctx::fail);
  }
}
