package io.pioreactor.leader.telemetry;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Readings;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's tables of what jobs measure, each with the topic it is fed from, how one message becomes one row, and how
 * its time series is read ({@code time_series/<table>}: the value column, its rounding, one series per OD channel).
 * The one place that says which topic goes into which table and column.
 */
public enum ReadingTable {
  OD_READINGS("od_readings", "od_reading", 7, true) {
    @Override boolean feeds(Topic t) {
      return Jobs.OD_READING.equals(t.job()) && t.rest().size() == 2 && channelOf(t.jobAttribute()) > 0;
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      int channel = channelOf(t.jobAttribute());
      Object angle = p.getValue("angle");
      // The reference photodiode ("REF") measures the LED, not the culture: upstream does not store it either.
      Integer degrees = angle instanceof Number n ? Integer.valueOf(n.intValue())
          : angle instanceof String s && s.matches("\\d{1,3}") ? Integer.valueOf(s) : null;
      if (degrees == null) {
        return Optional.empty();
      }
      double od = number(p, "od");
      return Optional.of(new Reading(this, t, timestamp(p), t.unit() + "-" + channel, od,
          Tuple.of(t.experiment(), t.unit(), timestamp(p), od, degrees, channel)));
    }
  },
  OD_READINGS_FILTERED("od_readings_filtered", "normalized_od_reading", 7, false) {
    @Override boolean feeds(Topic t) {
      return attribute(t, Jobs.GROWTH_RATE_CALCULATING, Readings.OD_FILTERED);
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      return simple(t, p, Readings.OD_FILTERED);
    }
  },
  GROWTH_RATES("growth_rates", "rate", 5, false) {
    @Override boolean feeds(Topic t) {
      return attribute(t, Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE);
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      return simple(t, p, Readings.GROWTH_RATE);
    }
  },
  TEMPERATURE_READINGS("temperature_readings", "temperature_c", 2, false) {
    @Override boolean feeds(Topic t) {
      return attribute(t, Jobs.TEMPERATURE_AUTOMATION, Readings.TEMPERATURE);
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      return simple(t, p, Readings.TEMPERATURE);
    }
  },
  STIRRING_RATES("stirring_rates", "measured_rpm", 1, false) {
    @Override boolean feeds(Topic t) {
      return attribute(t, Jobs.STIRRING, Topics.MEASURED_RPM);
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      return simple(t, p, Topics.MEASURED_RPM);
    }
  },
  LED_CHANGE_EVENTS("led_change_events", "intensity", 2, false) {
    @Override boolean feeds(Topic t) {
      return t.isLedChangeEvent();
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      String channel = text(p, "channel", 1);
      if (!Set.of("A", "B", "C", "D").contains(channel)) {
        throw new MalformedMessageException("channel must be one of A, B, C, D, not '" + channel + "'");
      }
      double intensity = number(p, "intensity");
      return Optional.of(new Reading(this, t, timestamp(p), t.unit() + "-" + channel, intensity,
          Tuple.of(t.experiment(), t.unit(), timestamp(p), channel, intensity, optionalText(p, "source_of_event"))));
    }
  },
  DOSING_EVENTS("dosing_events", "volume_change_ml", 3, false) {
    @Override boolean feeds(Topic t) {
      return t.isDosingEvent();
    }
    @Override Optional<Reading> parse(Topic t, JsonObject p) {
      double ml = number(p, "volume_change");
      String event = text(p, "event", 64);
      return Optional.of(new Reading(this, t, timestamp(p), t.unit(), ml,
          Tuple.of(t.experiment(), t.unit(), timestamp(p), event, ml, optionalText(p, "source_of_event"))));
    }
  };

  /** One parsed message: its row and what the page draws of it (series named as {@code time_series} names them). */
  public record Reading(ReadingTable table, Topic topic, String timestamp, String series, double y, Tuple row) {}

  private static final int MAX_TEXT = 64;

  private final String table;
  private final String valueColumn;
  private final int decimals;
  private final boolean byChannel;

  ReadingTable(String table, String valueColumn, int decimals, boolean byChannel) {
    this.table = table;
    this.valueColumn = valueColumn;
    this.decimals = decimals;
    this.byChannel = byChannel;
  }

  public String table() {
    return table;
  }

  public String valueColumn() {
    return valueColumn;
  }

  public int decimals() {
    return decimals;
  }

  /** Whether upstream names this table's series per OD channel ({@code <unit>-<channel>}). */
  public boolean byChannel() {
    return byChannel;
  }

  /** The columns of a row, in {@link Reading#row()}'s order. */
  public String insertSql() {
    return switch (this) {
      case OD_READINGS -> "INSERT INTO od_readings (experiment, pioreactor_unit, timestamp, od_reading, angle, channel) VALUES (?, ?, ?, ?, ?, ?)";
      case LED_CHANGE_EVENTS -> "INSERT INTO led_change_events (experiment, pioreactor_unit, timestamp, channel, intensity, source_of_event) "
          + "VALUES (?, ?, ?, ?, ?, ?)";
      case DOSING_EVENTS -> "INSERT INTO dosing_events (experiment, pioreactor_unit, timestamp, event, volume_change_ml, source_of_event) "
          + "VALUES (?, ?, ?, ?, ?, ?)";
      default -> "INSERT INTO " + table + " (experiment, pioreactor_unit, timestamp, " + valueColumn + ") VALUES (?, ?, ?, ?)";
    };
  }

  abstract boolean feeds(Topic t);

  /** The row of one message, or empty when upstream would not store it; throws when the payload is not believable. */
  abstract Optional<Reading> parse(Topic t, JsonObject payload);

  /** The table a topic feeds, if any. */
  public static Optional<ReadingTable> fedBy(Topic t) {
    if (t.experiment().startsWith("$")) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(r -> r.feeds(t)).findFirst();
  }

  /** A table by upstream's name ({@code od_readings}), for the time-series routes. */
  public static Optional<ReadingTable> named(String name) {
    return Arrays.stream(values()).filter(r -> r.table.equals(name)).findFirst();
  }

  Optional<Reading> simple(Topic t, JsonObject p, String key) {
    double y = number(p, key);
    return Optional.of(new Reading(this, t, timestamp(p), t.unit(), y, Tuple.of(t.experiment(), t.unit(), timestamp(p), y)));
  }

  private static boolean attribute(Topic t, String job, String attribute) {
    return job.equals(t.job()) && t.rest().size() == 2 && attribute.equals(t.jobAttribute());
  }

  private static int channelOf(String attribute) {
    for (int c = 1; c <= 4; c++) {
      if (Readings.odChannel(c).equals(attribute)) {
        return c;
      }
    }
    return 0;
  }

  private static double number(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new MalformedMessageException("'" + key + "' must be a finite number");
    }
    return n.doubleValue();
  }

  private static String text(JsonObject p, String key, int max) {
    Object v = p.getValue(key);
    if (!(v instanceof String s) || s.isEmpty() || s.length() > max) {
      throw new MalformedMessageException("'" + key + "' must be text of 1 to " + max + " characters");
    }
    return s;
  }

  private static String optionalText(JsonObject p, String key) {
    Object v = p.getValue(key);
    if (v == null) {
      return null;
    }
    return text(p, key, MAX_TEXT);
  }

  private static String timestamp(JsonObject p) {
    return UnitTime.normalize(p.getValue("timestamp"));
  }
}
