package io.pioreactor.leader.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The Pioreactor hardware models upstream knows (its built-in registry, 26.x): name, version and the
 * physical limits its web app shows. {@code GET /api/models} lists them; a worker's model must be one of them.
 */
public final class Models {
  private Models() {}

  /** One model, in upstream's field names. */
  public record Model(String name, String version, String displayName, double capacityMl, double diameterMm,
                      double maxFillMl, double reduceHeatingC, double disableHeatingC, double shutdownC, boolean legacy) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("model_name", name)
          .put("model_version", version)
          .put("display_name", displayName)
          .put("reactor_capacity_ml", capacityMl)
          .put("reactor_diameter_mm", diameterMm)
          .put("reactor_max_fill_volume_ml", maxFillMl)
          .put("max_temp_to_reduce_heating", reduceHeatingC)
          .put("max_temp_to_disable_heating", disableHeatingC)
          .put("max_temp_to_shutdown", shutdownC)
          .put("is_legacy", legacy)
          .put("is_contrib", false);
    }
  }

  /** Upstream's order. The 20 ml v1.0 runs cooler (older heater limits); the 40 ml has twice the volume. */
  public static final List<Model> ALL = List.of(
      new Model("pioreactor_40ml", "1.5", "Pioreactor 40ml, v1.5", 40, 27, 36, 78, 80, 85, false),
      new Model("pioreactor_40ml", "1.0", "Pioreactor 40ml, v1.0", 40, 27, 36, 78, 80, 85, true),
      new Model("pioreactor_20ml", "1.1", "Pioreactor 20ml, v1.1", 20, 27, 18, 78, 80, 85, true),
      new Model("pioreactor_20ml", "1.0", "Pioreactor 20ml, v1.0", 20, 27, 18, 63, 65, 66, true),
      new Model("pioreactor_20ml", "1.5", "Pioreactor 20ml, v1.5", 20, 27, 18, 78, 80, 85, false),
      new Model("pioreactor_40ml_XR", "1.5", "Pioreactor 40ml XR, v1.5", 40, 27, 36, 78, 80, 85, false),
      new Model("pioreactor_20ml_XR", "1.5", "Pioreactor 20ml XR, v1.5", 20, 27, 18, 78, 80, 85, false));

  public static Optional<Model> find(String name, String version) {
    return ALL.stream().filter(m -> m.name().equals(name) && m.version().equals(version)).findFirst();
  }

  public static boolean known(String name, String version) {
    return find(name, version).isPresent();
  }

  public static JsonArray asJson() {
    return new JsonArray(ALL.stream().map(Model::toJson).toList());
  }

  /** The 400 for a model upstream does not know, in upstream's words; {@code step} names the add flow's step, if any. */
  public static io.pioreactor.leader.api.ApiException unknown(String name, String version, String step) {
    return new io.pioreactor.leader.api.ApiException(400, "Model name or version not found in available models.", step,
        "unknown model '" + name + "' with version '" + version + "'", "use one of: " + names());
  }

  /** For error messages: "pioreactor_40ml 1.5, pioreactor_40ml 1.0, …". */
  public static String names() {
    return String.join(", ", ALL.stream().map(m -> m.name() + " " + m.version()).toList());
  }
}
