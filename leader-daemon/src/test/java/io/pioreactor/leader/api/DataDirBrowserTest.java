package io.pioreactor.leader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream's file browser over the leader's data directory: what it resolves, and what it never sends. */
class DataDirBrowserTest {
  @TempDir
  Path base;

  private DataDirBrowser browser() {
    return new DataDirBrowser(null, base);
  }

  private static int status(Throwable t) {
    return ((ApiException) t).status();
  }

  @Test
  @DisplayName("a path inside the data directory resolves; '..', '.', absolute paths and links out of it are refused with 403")
  void confined() throws Exception {
    Files.writeString(base.resolve("notes.txt"), "x");
    assertThat(browser().resolve("notes.txt")).isEqualTo(base.resolve("notes.txt").toRealPath());
    assertThat(browser().resolve("")).isEqualTo(base.toRealPath());
    for (String bad : new String[] {"..", "a/../../etc", "./notes.txt", "/etc/passwd", "a\\b"}) {
      assertThatThrownBy(() -> browser().resolve(bad)).as(bad).satisfies(t -> assertThat(status(t)).isEqualTo(403));
    }
    Files.createSymbolicLink(base.resolve("out"), Path.of("/etc"));
    assertThatThrownBy(() -> browser().resolve("out/hostname")).satisfies(t -> assertThat(status(t)).isEqualTo(403));
    assertThatThrownBy(() -> browser().resolve("missing")).satisfies(t -> assertThat(status(t)).isEqualTo(404));
  }

  @Test
  @DisplayName("only logs, text, CSV, YAML and Markdown are sent: not the database, the broker's directory, configuration files or files named like secrets")
  void notShared() {
    for (String name : new String[] {"pioreactor.sqlite", "pioreactor.sqlite-wal", "x.sqlite.backup", "broker/journal",
        "demo-credentials", "broker.passwd", "tls.key", "api-token.txt", "leader.json", "config.ini", "secret-notes.txt"}) {
      assertThat(DataDirBrowser.shareable(Path.of(name))).as(name).isFalse();
    }
    for (String name : new String[] {"logs/pioreactor.log", "notes.txt", "exports/exp1.csv", "profiles/p.yaml"}) {
      assertThat(DataDirBrowser.shareable(Path.of(name))).as(name).isTrue();
    }
  }
}
