package io.pioreactor.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

  @Test
  @DisplayName("a password written is checked, a wrong one and an unknown user are not")
  void check(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broker.passwd");
    PasswordFile.empty().withPassword("w1", "s3cret").write(file);
    PasswordFile read = PasswordFile.read(file);
    assertThat(read.check("w1", "s3cret")).isTrue();
    assertThat(read.check("w1", "s3cret ")).isFalse();
    assertThat(read.check("w2", "s3cret")).isFalse();
    assertThat(Files.readString(file)).startsWith("w1:$7$").doesNotContain("s3cret");
  }

  @Test
  @DisplayName("a new file is readable by its owner and group only")
  void newFileIsPrivate(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broker.passwd");
    PasswordFile.empty().withPassword("w1", "a").write(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
  }

  @Test
  @DisplayName("rewriting a file keeps its permissions and group, so the broker's user can still read it")
  void rewriteKeepsAttributes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broker.passwd");
    PasswordFile.empty().withPassword("w1", "a").write(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    if ("root".equals(System.getProperty("user.name"))) { // as root (CI), the group can be one that is not ours
      var lookup = file.getFileSystem().getUserPrincipalLookupService();
      Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
          .setGroup(lookup.lookupPrincipalByGroupName("daemon"));
    }
    var group = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).group();
    PasswordFile.read(file).withPassword("w2", "b").write(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).group()).isEqualTo(group);
    assertThat(PasswordFile.read(file).users()).containsExactlyInAnyOrder("w1", "w2");
    try (var listing = Files.list(dir)) {
      assertThat(listing).as("no temporary file left behind").hasSize(1);
    }
  }
}
