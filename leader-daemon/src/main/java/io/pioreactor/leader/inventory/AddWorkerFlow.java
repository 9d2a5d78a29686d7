package io.pioreactor.leader.inventory;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.leader.cluster.MembershipPublisher;
import io.pioreactor.leader.upstream.Models;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.UnitFacts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adding a worker: check the name, make sure it is new, ask the unit to identify itself over MQTT,
 * then insert its row and publish its membership. Each failure names the step, the cause and what to try;
 * nothing is inserted unless every step passed.
 */
public final class AddWorkerFlow {
  private static final Logger LOG = LoggerFactory.getLogger(AddWorkerFlow.class);

  /** What the caller asked for; model fields and the address are optional. */
  public record Request(String name, String ipv4Address, String modelName, String modelVersion) {}

  /** Where a worker was found, and how (for messages): mDNS, {@code <name>.local}, or given. */
  public record Located(String ipv4, String how) {}

  /** Finds a worker's address by name (mDNS, then {@code <name>.local}); empty when nothing knows it. */
  public interface Locator {
    Future<java.util.Optional<Located>> locate(String name);
  }

  private final WorkerRepository workers;
  private final CommandClient commands;
  private final MembershipPublisher memberships;
  private final Duration timeout;
  private final Locator locator;

  public AddWorkerFlow(WorkerRepository workers, CommandClient commands, MembershipPublisher memberships, Duration timeout,
                       Locator locator) {
    this.workers = workers;
    this.commands = commands;
    this.memberships = memberships;
    this.timeout = timeout;
    this.locator = locator;
  }

  private String[] defaultModel = {"pioreactor_40ml", "1.5"};

  /** The model a worker gets when neither the request nor the worker names a model upstream knows. */
  public AddWorkerFlow defaultModel(String name, String version) {
    this.defaultModel = new String[] {name, version};
    return this;
  }

  /**
   * Every worker gets a model (upstream's page asks for one when it is missing): the one asked for, else the one its
   * daemon reports if upstream knows it, else the default. Returns [name, version].
   */
  String[] chooseModel(String askedName, String askedVersion, Optional<String[]> reported) {
    if (askedName != null) {
      return new String[] {askedName, askedVersion};
    }
    return reported.filter(m -> Models.known(m[0], m[1])).orElse(defaultModel);
  }

  public Future<WorkerRow> run(Request req) {
    return validate(req)
        .compose(v -> workers.nameLike(req.name()))
        .compose(existing -> existing.isPresent()
            ? Future.failedFuture(alreadyThere(req.name(), existing.get()))
            : locate(req))
        .compose(at -> handshake(req, at))
        .compose(facts -> insert(req, facts))
        .compose(row -> memberships.publish(row).map(row))
        .onSuccess(row -> LOG.info("added {} to the inventory", row.unit()));
  }

  private Future<Void> validate(Request req) {
    var problem = Names.unitNameProblem(req.name());
    if (problem.isPresent()) {
      return Future.failedFuture(new ApiException(400, "invalid worker name: " + problem.get(), "validate", null,
          "use the worker's hostname: letters, digits and '-'"));
    }
    if (req.ipv4Address() != null && !Names.isIpv4(req.ipv4Address())) {
      return Future.failedFuture(new ApiException(400, "invalid IPv4 address: '" + req.ipv4Address() + "'", "validate",
          null, "give four numbers 0-255 separated by dots, e.g. 192.168.1.42"));
    }
    if ((req.modelName() == null) != (req.modelVersion() == null)) {
      return Future.failedFuture(new ApiException(400, "give both model and version, or neither", "validate", null, null));
    }
    for (String s : new String[] {req.modelName(), req.modelVersion()}) {
      if (s != null && !s.matches("[A-Za-z0-9_.-]{1,64}")) {
        return Future.failedFuture(new ApiException(400, "invalid model or version: '" + s + "'", "validate", null,
            "e.g. model pioreactor_40ml, version 1.5"));
      }
    }
    if (req.modelName() != null && !Models.known(req.modelName(), req.modelVersion())) {
      return Future.failedFuture(Models.unknown(req.modelName(), req.modelVersion(), "validate"));
    }
    return Future.succeededFuture();
  }

  /** The address to check the worker against: given with -a, else found by mDNS or {@code <name>.local}, else none. */
  private Future<Located> locate(Request req) {
    if (req.ipv4Address() != null) {
      return Future.succeededFuture(new Located(req.ipv4Address(), "given"));
    }
    return locator.locate(req.name()).map(found -> found.orElse(null)).otherwise((Located) null);
  }

  private Future<UnitFacts> handshake(Request req, Located at) {
    return commands.request(req.name(), Protocol.HANDSHAKE, new JsonObject(), timeout)
        .recover(err -> Future.failedFuture(!(err instanceof CommandClient.NoReplyException)
            ? new ApiException(503, "cannot reach the broker: " + err.getMessage(), "handshake", null, "check the leader's MQTT broker")
            : at == null
                ? new ApiException(504, "unknown host: " + req.name(), "handshake",
                    "no worker daemon named " + req.name() + " answered on the leader's broker within " + timeout.toSeconds()
                        + " s, it is not advertised by mDNS, and " + req.name() + ".local does not resolve",
                    "check the name (the worker's hostname), that it is powered on and on this network; "
                        + "where mDNS does not work, add it with -a <its IPv4>")
                : new ApiException(504, "unreachable: " + req.name() + " (" + at.ipv4() + ", " + at.how() + ") does not answer",
                    "handshake", "no worker daemon named " + req.name() + " answered on the leader's broker within "
                        + timeout.toSeconds() + " s",
                    "check that the worker daemon runs on " + req.name() + " and uses this leader's broker (mqtt.host in its config)")))
        .compose(reply -> checkFacts(req, reply, at));
  }

  private Future<UnitFacts> checkFacts(Request req, CommandReply reply, Located at) {
    if (!reply.ok()) {
      return Future.failedFuture(new ApiException(502, req.name() + " refused: " + reply.error(), "handshake", null, null));
    }
    UnitFacts facts = UnitFacts.fromJson(reply.result());
    if (!facts.unit().equals(req.name())) {
      return Future.failedFuture(new ApiException(409, "wrong unit: " + facts.unit() + " answered for " + req.name(),
          "handshake", null, "check the worker's hostname"));
    }
    if (at != null && !facts.ipv4Addresses().contains(at.ipv4())) {
      return Future.failedFuture(new ApiException(409, "wrong unit at address: " + req.name() + " is not at "
          + at.ipv4() + " (" + at.how() + ")", "handshake", req.name() + " answered from " + String.join(", ", facts.ipv4Addresses()),
          at.how().equals("given") ? "check the address, or add it without -a" : "check the network's names; add it with -a <its IPv4>"));
    }
    return Future.succeededFuture(facts);
  }

  private Future<WorkerRow> insert(Request req, UnitFacts facts) {
    String[] model = chooseModel(req.modelName(), req.modelVersion(),
        Optional.of(new String[] {facts.modelName(), facts.modelVersion()}));
    String ipv4 = req.ipv4Address() != null ? req.ipv4Address()
        : facts.ipv4Addresses().isEmpty() ? null : facts.ipv4Addresses().get(0);
    return workers.insert(req.name(), Instant.now().toString(), model[0], model[1], ipv4)
        .compose(inserted -> inserted ? workers.find(req.name()).map(row -> row.orElseThrow())
            : workers.nameLike(req.name()).compose(other -> Future.failedFuture(alreadyThere(req.name(), other.orElse(req.name())))));
  }

  /** 409: the name (or the same name in other letters: hostnames ignore case) is taken. */
  static ApiException alreadyThere(String name, String existing) {
    return new ApiException(409, name + " is already in the inventory" + (existing.equals(name) ? "" : " as " + existing),
        "validate", existing.equals(name) ? null : "unit names are hostnames, which ignore case",
        "remove it first if you mean to add it again");
  }
}
