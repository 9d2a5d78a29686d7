package io.pioreactor.leader.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.LeaderVerticle;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class AuthTest {

  @TempDir
  Path dir;
  private MosquittoBroker broker;

  @AfterEach
  void stop() {
    broker.close();
  }

  private WebClient leader(Vertx vertx, boolean anonymousRead) {
    return leader(vertx, new JsonObject().put("username", "lab").put("password", "s3cret-pass")
        .put("allow_anonymous_read", anonymousRead));
  }

  private WebClient leader(Vertx vertx, JsonObject auth) {
    broker = MosquittoBroker.start();
    JsonObject http = new JsonObject().put("host", "127.0.0.1").put("port", 0);
    if (auth != null) {
      http.put("auth", auth);
    }
    JsonObject json = new JsonObject()
        .put("unit", "leader1")
        .put("http", http)
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", broker.port()))
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()));
    LeaderVerticle v = new LeaderVerticle(LeaderConfig.fromJson(json, "x"));
    vertx.deployVerticle(v).await();
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(v.httpPort()));
  }

  @Test
  @DisplayName("with auth configured, the API needs the password or a session; the page's files and its sign-in are open; writes from other origins are refused")
  void requiresPassword(Vertx vertx) {
    WebClient http = leader(vertx, false);
    var good = new UsernamePasswordCredentials("lab", "s3cret-pass");
    var bad = new UsernamePasswordCredentials("lab", "wrong-pass");
    var noAuth = http.get("/api/workers").send().await();
    assertThat(noAuth.statusCode()).isEqualTo(401);
    assertThat(noAuth.getHeader("WWW-Authenticate")).startsWith("Basic");
    assertThat(noAuth.bodyAsJsonObject().getString("error")).isNotBlank();
    // The page itself is open (it holds no data and shows the sign-in form); the page's own calls get no Basic challenge.
    assertThat(http.get("/").send().await().statusCode()).isEqualTo(200);
    var fromPage = http.get("/api/workers").putHeader("X-Pioreactor-UI", "1").send().await();
    assertThat(fromPage.statusCode()).isEqualTo(401);
    assertThat(fromPage.getHeader("WWW-Authenticate")).isNull();
    // Sign-in: a wrong password is refused; the right one gives a session cookie the API accepts, until sign-out.
    assertThat(http.post("/api/session").sendJsonObject(new JsonObject().put("username", "lab").put("password", "nope"))
        .await().statusCode()).isEqualTo(401);
    var signedIn = http.post("/api/session").sendJsonObject(new JsonObject().put("username", "lab").put("password", "s3cret-pass")).await();
    assertThat(signedIn.statusCode()).isEqualTo(200);
    String cookie = signedIn.cookies().get(0).split(";")[0];
    assertThat(signedIn.cookies().get(0)).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
    assertThat(http.get("/api/workers").putHeader("Cookie", cookie).send().await().statusCode()).isEqualTo(200);
    assertThat(http.get("/api/workers").putHeader("Cookie", "pio_session=forged").send().await().statusCode()).isEqualTo(401);
    assertThat(http.delete("/api/session").putHeader("Cookie", cookie).send().await().statusCode()).isEqualTo(200);
    assertThat(http.get("/api/workers").putHeader("Cookie", cookie).send().await().statusCode()).isEqualTo(401);
    assertThat(http.get("/api/workers").authentication(bad).send().await().statusCode()).isEqualTo(401);
    assertThat(http.get("/api/workers").authentication(good).send().await().statusCode()).isEqualTo(200);
    assertThat(http.post("/api/experiments").authentication(good).putHeader("Origin", "http://evil.example")
        .sendJsonObject(new JsonObject().put("experiment", "x")).await().statusCode()).isEqualTo(403);
    assertThat(http.post("/api/experiments").authentication(good)
        .sendJsonObject(new JsonObject().put("experiment", "x")).await().statusCode()).isEqualTo(201);
    assertThat(http.get("/api/experiments").authentication(good).send().await().bodyAsJsonArray()).hasSize(1);
  }

  @Test
  @DisplayName("without sign-in configured, a write from another site's page (a form posted cross-origin) is still refused and changes nothing")
  void crossOriginWritesWithoutAuth(Vertx vertx) {
    WebClient http = leader(vertx, (JsonObject) null);
    assertThat(http.post("/api/units/$broadcast/system/shutdown").putHeader("Origin", "http://evil.example")
        .send().await().statusCode()).isEqualTo(403);
    assertThat(http.post("/api/experiments").putHeader("Origin", "http://evil.example")
        .sendJsonObject(new JsonObject().put("experiment", "x")).await().statusCode()).isEqualTo(403);
    assertThat(http.get("/api/experiments").send().await().bodyAsJsonArray()).isEmpty();
    assertThat(http.post("/api/experiments").sendJsonObject(new JsonObject().put("experiment", "x")).await().statusCode())
        .as("the CLI and scripts send no Origin").isEqualTo(201);
  }

  @Test
  @DisplayName("an API path spelled another way (percent-encoded, dot segments, trailing slash) is judged as the route it reaches")
  void encodedPaths(Vertx vertx) {
    WebClient http = leader(vertx, true);
    for (String path : java.util.List.of("/%61pi/experiments", "/static/../api/experiments", "/%2e%2e/api/experiments",
        "/api/experiments/")) {
      var write = http.post(path).sendJsonObject(new JsonObject().put("experiment", "sneaky")).await();
      assertThat(write.statusCode()).as("POST " + path).isIn(400, 401, 404);
    }
    for (String path : java.util.List.of("/api/config/%73hared", "/api/config/shared/", "/x/../api/config/shared")) {
      assertThat(http.get(path).send().await().statusCode()).as("GET " + path + " (anonymous reads allowed, not this one)")
          .isIn(400, 401, 404);
    }
    assertThat(http.get("/api/experiments").authentication(new UsernamePasswordCredentials("lab", "s3cret-pass")).send().await()
        .bodyAsJsonArray()).as("nothing was created").isEmpty();
  }

  @Test
  @DisplayName("read-only access can be left open while writes still need the password")
  void anonymousRead(Vertx vertx) {
    WebClient http = leader(vertx, true);
    assertThat(http.get("/api/workers").send().await().statusCode()).isEqualTo(200);
    assertThat(http.post("/api/experiments").sendJsonObject(new JsonObject().put("experiment", "x")).await().statusCode())
        .isEqualTo(401);
    assertThat(http.get("/api/experiments").send().await().bodyAsJsonArray()).isEmpty();
  }
}
