package io.pioreactor.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
  private final JsonSchemas schemas = new JsonSchemas();

  @Test
  @DisplayName("a map schema (additionalProperties as a schema) checks every value and accepts an empty map")
  void mapValuesAreChecked() {
    assertThat(schemas.check("unit_labels", new JsonObject())).isEmpty();
    assertThat(schemas.check("unit_labels", new JsonObject().put("w1", "control").put("w2", "treated"))).isEmpty();
    assertThat(schemas.check("unit_labels", new JsonObject().put("w1", "control").put("w2", 3)))
        .singleElement().asString().startsWith("$.w2: expected [string]");
    assertThat(schemas.check("unit_labels", new JsonObject().put("w1", ""))).singleElement().asString().contains("shorter than 1");
  }

  @Test
  @DisplayName("a map schema's values may be $refs: a running-jobs task result is checked down to each job row")
  void mapValuesFollowRefs() {
    JsonObject row = new JsonObject().put("job_id", 1).put("unit", "w1").put("experiment", "e1").put("job_name", "stirring")
        .put("job_source", "user").put("started_at", "2026-01-01T00:00:00.000Z").put("is_running", 1).put("leader", "leader")
        .put("pid", 42).put("is_long_running_job", 0).putNull("ended_at");
    JsonObject result = new JsonObject().put("task_id", "t").put("result_url_path", "/unit_api/task_results/t").put("status", "succeeded")
        .put("result", new JsonObject().put("w1", new JsonObject().put("ok", true).put("unit", "w1")
            .put("value", new io.vertx.core.json.JsonArray().add(row))));
    assertThat(schemas.check("running_jobs_task_result", result)).isEmpty();
    row.put("state", "ready");
    assertThat(schemas.check("running_jobs_task_result", result)).singleElement().asString()
        .isEqualTo("$.result.w1.value[0]: unexpected 'state'");
  }
}
