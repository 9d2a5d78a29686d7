package io.pioreactor.leader.inventory;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.MembershipPublisher;
import io.pioreactor.leader.experiments.ExperimentRepository;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inventory actions: each writes the database first (so an acknowledged change is never lost), then
 * publishes the worker's retained membership, then tells the event stream.
 */
public final class InventoryService {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);

  private final WorkerRepository workers;
  private final ExperimentRepository experiments;
  private final MembershipPublisher memberships;
  private final AddWorkerFlow addFlow;
  private final WorkerViews views;
  private final InventoryEvents events;
  private final MqttConnection mqtt;
  private final io.pioreactor.leader.cluster.LiveUnits live;

  public InventoryService(WorkerRepository workers, ExperimentRepository experiments, MembershipPublisher memberships,
                          AddWorkerFlow addFlow, WorkerViews views, InventoryEvents events, MqttConnection mqtt,
                          io.pioreactor.leader.cluster.LiveUnits live) {
    this.live = live;
    this.workers = workers;
    this.experiments = experiments;
    this.memberships = memberships;
    this.addFlow = addFlow;
    this.views = views;
    this.events = events;
    this.mqtt = mqtt;
  }

  public Future<JsonArray> list() {
    return workers.all().map(rows -> new JsonArray(rows.stream().map(views::view).toList()));
  }

  public Future<JsonObject> get(String unit) {
    return existing(unit).map(views::view);
  }

  public Future<JsonArray> ofExperiment(String experiment) {
    return experiment(experiment)
        .compose(e -> workers.ofExperiment(experiment))
        .map(rows -> new JsonArray(rows.stream().map(views::view).toList()));
  }

  public Future<JsonObject> add(AddWorkerFlow.Request req) {
    // Only a request with a worker's name gets lines in the leader's log: bad input changes nothing, the log included.
    boolean named = req.name() != null && io.pioreactor.protocol.Names.unitNameProblem(req.name()).isEmpty();
    String name = named ? req.name() : null;
    if (named) {
      logLine("INFO", "Adding new pioreactor " + name + " to cluster.");
    }
    return addFlow.run(req).compose(row -> syncNames().map(row)).map(this::announce)
        .onSuccess(v -> logLine("NOTICE", "New pioreactor " + name + " successfully added to cluster."))
        .onFailure(err -> {
          if (named && !(err instanceof ApiException a && a.status() == 400)) {
            logLine("ERROR", "Did not add worker " + name + ": " + err.getMessage());
          }
        });
  }

  /**
   * A line in the leader's own log (task {@code add_pioreactor}, as upstream's add logs), so the add flow shows with
   * every other line (pio logs, the page's Logs view); one that cannot be sent is only the leader's loss.
   */
  private void logLine(String level, String message) {
    mqtt.publish(Topics.log(views.leaderUnit(), Topics.UNIT_LEVEL, "app", level.toLowerCase(java.util.Locale.ROOT)),
            new io.pioreactor.protocol.LogMessage(message, "add_pioreactor", "app", level, Instant.now().toString()).toBuffer(), 1, false)
        .onFailure(err -> LOG.warn("could not log the add flow's line '{}': {}", message, err.getMessage()));
  }

  /** Tells the live view which units are in the inventory (they are kept; others are bounded strangers). */
  public Future<Void> syncNames() {
    return workers.all().map(rows -> {
      live.inventory(rows.stream().map(WorkerRow::unit).collect(java.util.stream.Collectors.toSet()));
      return null;
    });
  }

  /** The model a worker gets when none is named and its daemon reports none upstream knows ({@code default_model}). */
  public InventoryService defaultModel(String name, String version) {
    addFlow.defaultModel(name, version);
    return this;
  }

  /** Upstream's {@code PUT /api/workers}: a row without the handshake. A named model must be one upstream knows. */
  public Future<JsonObject> insertDirect(String unit, String model, String version) {
    if ((model == null) != (version == null)) {
      return Future.failedFuture(ApiException.badRequest("give both model_name and model_version, or neither"));
    }
    if (model != null && !io.pioreactor.leader.upstream.Models.known(model, version)) {
      return Future.failedFuture(io.pioreactor.leader.upstream.Models.unknown(model, version, null));
    }
    String[] chosen = addFlow.chooseModel(model, version, views.reportedModel(unit));
    return checkUnitName(unit)
        .compose(v -> workers.insert(unit, Instant.now().toString(), chosen[0], chosen[1], null))
        .compose(inserted -> inserted ? existing(unit) : workers.nameLike(unit)
            .compose(other -> Future.failedFuture(AddWorkerFlow.alreadyThere(unit, other.orElse(unit)))))
        .compose(row -> memberships.publish(row).map(row))
        .compose(row -> syncNames().map(row))
        .map(this::announce);
  }

  public Future<Void> remove(String unit) {
    return existing(unit)
        .compose(row -> workers.delete(unit))
        // Of racing removes, one deletes the row; the others find it gone, as they would a moment later.
        .compose(deleted -> deleted ? memberships.clear(unit) : Future.failedFuture(ApiException.notFound(unit + " is not in the inventory")))
        .compose(v -> syncNames())
        .onSuccess(v -> {
          LOG.info("removed {} from the inventory", unit);
          events.emit(InventoryEvents.WORKER_REMOVED, new JsonObject().put("pioreactor_unit", unit));
        });
  }

  public Future<Void> setActive(String unit, boolean active) {
    return existing(unit)
        .compose(row -> workers.setActive(unit, active))
        .compose(v -> refreshAndAnnounce(unit))
        .onSuccess(v -> LOG.info("{} set {}", unit, active ? "active" : "inactive"));
  }

  public Future<Void> setModel(String unit, String model, String version) {
    return existing(unit).compose(row -> workers.setModel(unit, model, version)).compose(v -> refreshAndAnnounce(unit));
  }

  /** Identify: the unit's HAT LED blinks. Any unit the leader knows, in the inventory or seen on the broker. */
  public Future<Void> blink(String unit) {
    return checkUnitName(unit)
        .compose(v -> workers.find(unit))
        // A leader-only leader has no HAT: unless it runs a worker daemon, nothing is sent to its LED.
        .compose(row -> row.isPresent() || views.seenOnBroker(unit)
            ? mqtt.publish(Topics.flickerLed(unit), "1", 1, false)
            : Future.failedFuture(ApiException.notFound(unit + " is neither in the inventory nor running a worker daemon"
                + (unit.equals(views.leaderUnit()) ? " (a leader-only leader has no LED to blink)" : ""))))
        .recover(err -> Future.failedFuture(err instanceof ApiException ? err
            : new ApiException(503, "cannot reach the broker: " + err.getMessage())))
        .mapEmpty();
  }

  public Future<Void> assign(String unit, String experiment) {
    return existing(unit)
        .compose(row -> experiment(experiment))
        .compose(e -> workers.assign(unit, experiment, Instant.now().toString()))
        .compose(v -> refreshAndAnnounce(unit))
        .onSuccess(v -> LOG.info("{} assigned to {}", unit, experiment));
  }

  public Future<Void> unassign(String unit, String experiment) {
    return existing(unit)
        .compose(row -> workers.unassign(unit, experiment))
        .compose(done -> done ? refreshAndAnnounce(unit)
            : Future.failedFuture(ApiException.notFound(unit + " is not assigned to " + experiment)));
  }

  public Future<Void> unassignAll(String experiment) {
    return experiment(experiment)
        .compose(e -> workers.unassignAll(experiment))
        .compose(units -> Future.all(units.stream().map(this::refreshAndAnnounce).toList()))
        .mapEmpty();
  }

  /**
   * Upstream's "unassign all workers": every assignment goes (stored first), then each unit's membership says so and it
   * halts that experiment's jobs; returns what was removed, {unit → experiment}.
   */
  public Future<java.util.SortedMap<String, String>> unassignEveryone() {
    return workers.unassignEveryone()
        .compose(removed -> Future.all(removed.keySet().stream().map(this::refreshAndAnnounce).toList()).map(removed))
        .onSuccess(removed -> LOG.info("every assignment removed: {}", removed));
  }

  /** Every worker's membership again: after each broker (re)connect. */
  public Future<Void> reassertAll() {
    return memberships.reassertAll();
  }

  /** Re-sends the rows of workers whose live state changed to the event stream: one query for the batch. */
  public void announceLive(java.util.Set<String> units) {
    workers.all().onSuccess(rows -> rows.stream().filter(r -> units.contains(r.unit())).forEach(this::announce));
  }

  /** The worker's name in the inventory if it is there in other letters (names are hostnames, which ignore case). */
  public Future<Optional<String>> nameLike(String unit) {
    return workers.nameLike(unit);
  }

  public Future<Optional<WorkerRow>> find(String unit) {
    return workers.find(unit);
  }

  public Future<List<WorkerRow>> rows() {
    return workers.all();
  }

  private Future<Void> refreshAndAnnounce(String unit) {
    return existing(unit).compose(row -> memberships.publish(row).map(row)).map(this::announce).mapEmpty();
  }

  private JsonObject announce(WorkerRow row) {
    JsonObject view = views.view(row);
    events.emit(InventoryEvents.WORKER, view);
    return view;
  }

  private Future<WorkerRow> existing(String unit) {
    return checkUnitName(unit).compose(v -> workers.find(unit)).compose(row -> row
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound(unit + " is not in the inventory"))));
  }

  private Future<JsonObject> experiment(String experiment) {
    return experiments.find(experiment).compose(e -> e
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("no experiment named '" + experiment + "'"))));
  }

  private static Future<Void> checkUnitName(String unit) {
    return Names.unitNameProblem(unit)
        .<Future<Void>>map(p -> Future.failedFuture(ApiException.badRequest("invalid worker name: " + p)))
        .orElseGet(Future::succeededFuture);
  }
}
