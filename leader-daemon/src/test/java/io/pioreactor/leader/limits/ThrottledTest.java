package io.pioreactor.leader.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class ThrottledTest {

  /** A logger that keeps what was warned, formatted as slf4j would. */
  private static Logger recording(List<String> lines) {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, args) -> {
      if (m.getName().equals("warn") && args != null && args.length == 2 && args[1] instanceof Object[] rest) {
        lines.add(MessageFormatter.arrayFormat((String) args[0], rest).getMessage());
      }
      return m.getReturnType() == boolean.class ? Boolean.TRUE : null;
    });
  }

  @Test
  @DisplayName("a key and a detail from the network are logged cut short, with control characters escaped")
  void printable() {
    List<String> lines = new CopyOnWriteArrayList<>();
    new Throttled(recording(lines), "refused:").refused("w1\nFAKE line " + "x".repeat(500), "d\r" + "y".repeat(1000));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).doesNotContain("\n").doesNotContain("\r").contains("w1\\u000aFAKE").hasSizeLessThan(
        Throttled.MAX_KEY + Throttled.MAX_DETAIL + 120);
  }

  @Test
  @DisplayName("a flood of refusals under ever new keys logs at most LINES_PER_MINUTE lines")
  void linesBounded() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Throttled t = new Throttled(recording(lines), "refused:");
    for (int i = 0; i < 10_000; i++) {
      t.refused("client-" + i, "latest");
    }
    assertThat(lines).hasSize(Throttled.LINES_PER_MINUTE);
  }

  @Test
  @DisplayName("one key refused many times is logged once a minute, with its count")
  void oneKeyOnce() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Throttled t = new Throttled(recording(lines), "refused:");
    for (int i = 0; i < 1_000; i++) {
      t.refused("w1", "latest");
    }
    assertThat(lines).containsExactly("w1 refused: 1 since the last report (latest)");
  }
}
