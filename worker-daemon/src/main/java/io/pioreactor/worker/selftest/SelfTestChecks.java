package io.pioreactor.worker.selftest;

import io.pioreactor.worker.hardware.Hat;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The checks the HAT layer can really make through pi4j, under upstream's {@code test_*} names (and one of ours for
 * the PWM outputs), in upstream's order. Each completes, or fails with a reason a person can act on. On the mock
 * platform they measure {@link io.pioreactor.worker.hardware.MockBench}. Every pi4j call runs off the event loop (in
 * {@link Hat}); the waits between a change and its reading are timers.
 */
public final class SelfTestChecks {
  public static final String HAT_PRESENT = "test_pioreactor_HAT_present";
  public static final String PDS_AND_LEDS = "test_all_positive_correlations_between_pds_and_leds";
  public static final String AMBIENT_LIGHT = "test_ambient_light_interference";
  public static final String HEATING_PCB = "test_detect_heating_pcb";
  public static final String RPM_AND_STIRRING = "test_positive_correlation_between_rpm_and_stirring";
  /** Ours: upstream has no check of the PWM outputs themselves. */
  public static final String PWM_OUTPUTS = "test_pwm_outputs_accept_duty_cycles";
  public static final List<String> NAMES = List.of(HAT_PRESENT, PDS_AND_LEDS, AMBIENT_LIGHT, HEATING_PCB, RPM_AND_STIRRING, PWM_OUTPUTS);

  static final List<Character> LEDS = List.of('A', 'B', 'C', 'D');
  static final int[] PDS = {1, 2};
  /** Upstream's IR LED channel ({@code [leds] A=IR}): every photodiode must see it. */
  static final char IR_LED = 'A';
  /** Upstream's order: low first, so an LED across from a photodiode does not saturate it before anything is seen. */
  static final int[] INTENSITIES = {35, 85, 75, 55, 45, 65, 80, 50};
  static final double MIN_CORRELATION = 0.9;
  /** A photodiode "responds" only if it also rose by this much: noise alone can correlate by chance. */
  static final double MIN_RISE_VOLTS = 0.01;
  static final double MAX_DARK_VOLTS = 0.080;
  static final double PROBE_DUTY = 1.0;

  private final Vertx vertx;
  private final Hat hat;
  private final double stirringDuty;
  private final boolean mock;
  private Consumer<JsonArray> correlations = c -> {};

  /** {@code stirringTargetRpm}: the cluster's default speed; the fan is tried around its duty cycle. */
  public SelfTestChecks(Vertx vertx, Hat hat, double stirringTargetRpm) {
    this.vertx = vertx;
    this.hat = hat;
    this.mock = hat.settings().mock();
    double d = hat.settings().dutyForRpm(stirringTargetRpm);
    this.stirringDuty = d > 0 ? Math.min(d, 70) : 25;
  }

  /** Hears the LED → photodiode pairs seen (upstream's {@code correlations_between_pds_and_leds}). */
  public SelfTestChecks onCorrelations(Consumer<JsonArray> c) {
    this.correlations = c;
    return this;
  }

  /** The check of that name. */
  public Supplier<Future<Void>> check(String name) {
    return switch (name) {
      case HAT_PRESENT -> hat::probeHat;
      case PDS_AND_LEDS -> this::ledsAndPhotodiodes;
      case AMBIENT_LIGHT -> this::ambientLight;
      case HEATING_PCB -> this::heatingPcb;
      case RPM_AND_STIRRING -> this::stirring;
      case PWM_OUTPUTS -> this::pwmOutputs;
      default -> throw new IllegalArgumentException("no self test named " + name);
    };
  }

  /** Each LED at upstream's intensities, each photodiode read: which pairs rise together. */
  Future<Void> ledsAndPhotodiodes() {
    Map<String, List<Double>> readings = new TreeMap<>();
    Future<Void> chain = allLedsOff();
    for (char led : LEDS) {
      for (int intensity : INTENSITIES) {
        chain = chain.compose(v -> hat.ledIntensity(led, intensity)).compose(v -> settle(mock ? 5 : 50))
            .compose(v -> readPds(led, readings))
            .compose(v -> hat.ledIntensity(led, 0)).mapEmpty();
      }
    }
    return chain.compose(v -> {
      JsonArray seen = new JsonArray();
      List<String> problems = new ArrayList<>();
      List<Character> unseen = new ArrayList<>();
      for (char led : LEDS) {
        boolean any = false;
        for (int pd : PDS) {
          List<Double> r = readings.get(led + "/" + pd);
          double corr = correlation(INTENSITIES, r);
          boolean responds = corr > MIN_CORRELATION && span(r) >= MIN_RISE_VOLTS;
          if (responds) {
            seen.add(new JsonArray().add(String.valueOf(led)).add("pd" + pd));
            any = true;
          } else if (led == IR_LED) {
            problems.add("pd" + pd + " does not respond to the IR LED (" + led + "): correlation " + round(corr)
                + ", rise " + round(span(r)) + " V");
          }
        }
        if (!any) {
          unseen.add(led);
        }
      }
      correlations.accept(seen);
      if (!unseen.isEmpty()) {
        problems.add("no photodiode sees LED " + unseen.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""));
      }
      return problems.isEmpty() ? Future.succeededFuture() : Future.failedFuture(String.join("; ", problems));
    });
  }

  private Future<Void> readPds(char led, Map<String, List<Double>> readings) {
    Future<Void> chain = Future.succeededFuture();
    for (int pd : PDS) {
      chain = chain.compose(v -> hat.photodiodeVolts(pd)).compose(a -> hat.photodiodeVolts(pd).map(b -> {
        readings.computeIfAbsent(led + "/" + pd, k -> new ArrayList<>()).add((a + b) / 2);
        return null;
      }));
    }
    return chain;
  }

  /** With every LED off the photodiodes should see (nearly) nothing: else light gets in. */
  Future<Void> ambientLight() {
    List<String> problems = new ArrayList<>();
    Future<Void> chain = allLedsOff().compose(v -> settle(mock ? 5 : 100));
    for (int pd : PDS) {
      chain = chain.compose(v -> hat.photodiodeVolts(pd)).map(volts -> {
        if (volts >= MAX_DARK_VOLTS) {
          problems.add("pd" + pd + " reads " + round(volts) + " V with every LED off (at most " + MAX_DARK_VOLTS + "): light gets in");
        }
        return null;
      });
    }
    return chain.compose(v -> problems.isEmpty() ? Future.succeededFuture() : Future.failedFuture(String.join("; ", problems)));
  }

  /** The heating PCB's thermometer answers on I²C with a believable temperature. */
  Future<Void> heatingPcb() {
    return hat.probeThermometer().recover(err -> Future.failedFuture("the heating PCB's thermometer does not answer: " + err.getMessage()))
        .compose(c -> c > -20 && c < 120 ? Future.succeededFuture()
            : Future.failedFuture("the heating PCB's thermometer reads " + c + " °C: not a room's or a culture's"));
  }

  /** The fan's speed, from the hall sensor, rises with its duty cycle (upstream: 0.8 to 1.2 of the usual; here wider). */
  Future<Void> stirring() {
    int pin = hat.settings().pwmPins().get(HatSettings.STIRRING);
    int steps = 5;
    double[] duties = new double[steps];
    double[] rpms = new double[steps];
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < steps; i++) {
      int k = i;
      duties[k] = Math.round(stirringDuty * (1.4 - 0.8 * k / (steps - 1)) * 10) / 10.0;
      chain = chain.compose(v -> hat.dutyCycle(pin, Math.min(100, duties[k]))).compose(v -> settle(mock ? 50 : 750))
          .compose(v -> hat.measureRpm(mock ? 0.6 : 3.0)).map(rpm -> {
            rpms[k] = rpm;
            return null;
          });
    }
    return chain.eventually(() -> hat.dutyCycle(pin, 0)).compose(v -> {
      double corr = correlation(duties, rpms);
      if (java.util.Arrays.stream(rpms).allMatch(r -> r == 0)) {
        return Future.failedFuture("the hall sensor saw no turn of the fan at duty cycles " + list(duties) + " %: is the fan or its sensor connected?");
      }
      return corr > MIN_CORRELATION ? Future.succeededFuture() : Future.failedFuture("the fan's RPM does not rise with its duty cycle: "
          + list(duties) + " % gave " + list(rpms) + " rpm (correlation " + round(corr) + ")");
    });
  }

  /** Each PWM output takes a small duty cycle and reads it back (pi4j), then off again. */
  Future<Void> pwmOutputs() {
    List<String> problems = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, Integer> out : new TreeMap<>(hat.settings().pwmPins()).entrySet()) {
      int pin = out.getValue();
      chain = chain.compose(v -> hat.dutyCycle(pin, PROBE_DUTY)).<Void>map(v -> {
        Double back = hat.dutyCycles().get(String.valueOf(pin));
        if (back == null || Math.abs(back - PROBE_DUTY) > 0.01) {
          problems.add("PWM " + out.getKey() + " (BCM " + pin + ") reads back " + back + " % after " + PROBE_DUTY + " % was set");
        }
        return null;
      }).eventually(() -> hat.dutyCycle(pin, 0)).recover(err -> {
        problems.add("PWM " + out.getKey() + " (BCM " + pin + "): " + err.getMessage());
        return Future.succeededFuture();
      });
    }
    return chain.compose(v -> problems.isEmpty() ? Future.succeededFuture() : Future.failedFuture(String.join("; ", problems)));
  }

  /** Every LED off and every PWM output off: where the self test leaves the HAT, whatever happened. */
  public Future<Void> allOff() {
    List<Future<?>> offs = new ArrayList<>();
    LEDS.forEach(c -> offs.add(hat.ledIntensity(c, 0)));
    hat.settings().pwmPins().values().forEach(pin -> offs.add(hat.dutyCycle(pin, 0)));
    return Future.join(offs).mapEmpty();
  }

  private Future<Void> allLedsOff() {
    List<Future<?>> offs = new ArrayList<>();
    LEDS.forEach(c -> offs.add(hat.ledIntensity(c, 0)));
    return Future.all(offs).mapEmpty();
  }

  private Future<Void> settle(long ms) {
    return vertx.timer(ms).mapEmpty();
  }

  static double correlation(int[] x, List<Double> y) {
    double[] xs = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xs[i] = x[i];
    }
    return correlation(xs, y.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Pearson's; 0 when either side does not vary (a dead photodiode, a stopped fan). */
  static double correlation(double[] x, double[] y) {
    int n = x.length;
    double mx = java.util.Arrays.stream(x).average().orElse(0);
    double my = java.util.Arrays.stream(y).average().orElse(0);
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  }

  private static double span(List<Double> r) {
    return r.stream().mapToDouble(Double::doubleValue).max().orElse(0) - r.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String list(double[] v) {
    return java.util.Arrays.toString(java.util.Arrays.stream(v).map(SelfTestChecks::round).toArray());
  }
}
