package io.pioreactor.leader.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.database.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ExperimentExportTest {
  @TempDir
  Path dir;
  private Database db;
  private HttpServer server;
  private List<ReadingTable> tables = List.of(ReadingTable.GROWTH_RATES);

  @BeforeEach
  void open(Vertx vertx) {
    db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    ExperimentExport export = new ExperimentExport(db.readPool());
    server = vertx.createHttpServer().requestHandler(req -> {
      req.response().setChunked(true);
      export.write("e1", tables, req.response());
    }).listen(0).await();
  }

  @AfterEach
  void close() {
    server.close().await();
    db.close().await();
  }

  private String get(Vertx vertx) {
    return WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/").send().await().bodyAsString();
  }

  @Test
  @DisplayName("one table comes with its own columns, every row of the experiment across pages, in order, and nothing of another")
  void everyRowAcrossPages(Vertx vertx) {
    List<Tuple> rows = new ArrayList<>();
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    int n = ExperimentExport.PAGE * 2 + 7;
    for (int i = 0; i < n; i++) {
      rows.add(Tuple.of("e1", i % 3 == 0 ? "w1" : "w2", UnitTime.format(t0.plusSeconds(i)), -0.01 * i));
    }
    rows.add(Tuple.of("e2", "w1", UnitTime.format(t0), 9.0));
    db.pool().preparedQuery(ReadingTable.GROWTH_RATES.insertSql()).executeBatch(rows).await();
    String[] lines = get(vertx).split("\n");
    assertThat(lines[0]).isEqualTo("experiment,pioreactor_unit,timestamp,rate");
    assertThat(lines).hasSize(n + 1);
    assertThat(lines[1]).startsWith("e1,w1,2026-12-01T00:00:00.000000Z,");
    assertThat(String.join("\n", lines)).doesNotContain("e2,").as("negative numbers stay numbers").contains(",-0.03\n");
  }

  @Test
  @DisplayName("text a unit wrote that looks like a formula is defused; commas and quotes are quoted; numbers are left alone")
  void formulasAndQuotes(Vertx vertx) {
    tables = List.of(ReadingTable.DOSING_EVENTS);
    db.pool().preparedQuery(ReadingTable.DOSING_EVENTS.insertSql()).executeBatch(List.of(
        Tuple.of("e1", "w1", UnitTime.format(Instant.now()), "add_media", -1.5, "=HYPERLINK(\"x\",\"y\")"),
        Tuple.of("e1", "w1", UnitTime.format(Instant.now()), "add_media", 1.0, "a,b"))).await();
    String csv = get(vertx);
    assertThat(csv).contains(",-1.5,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\n").contains(",1.0,\"a,b\"\n");
  }
}
