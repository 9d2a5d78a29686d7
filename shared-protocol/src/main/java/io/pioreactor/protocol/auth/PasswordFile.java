package io.pioreactor.protocol.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A mosquitto password file ({@code mosquitto_passwd}): {@code user:$7$iterations$salt$hash} (PBKDF2 with
 * HMAC-SHA512) or {@code user:$6$salt$hash} (salted SHA-512). Reading the same file as mosquitto means one
 * set of credentials for either broker. Immutable; {@link #write} and {@link #withEntry} make new versions.
 */
public final class PasswordFile {
  /** mosquitto_passwd's own choice for {@code $7$}. */
  private static final int ITERATIONS = 101;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, String> entries;

  private PasswordFile(Map<String, String> entries) {
    this.entries = entries;
  }

  public static PasswordFile empty() {
    return new PasswordFile(Map.of());
  }

  public static PasswordFile read(Path file) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (line.isBlank() || line.startsWith("#") || colon <= 0) {
        continue;
      }
      entries.put(line.substring(0, colon), line.substring(colon + 1).trim());
    }
    return new PasswordFile(Map.copyOf(entries));
  }

  public Set<String> users() {
    return entries.keySet();
  }

  public boolean has(String user) {
    return entries.containsKey(user);
  }

  /** A new file with {@code user}'s password set (added or replaced), as mosquitto_passwd would write it. */
  public PasswordFile withPassword(String user, String password) {
    return withEntry(user, hash(password));
  }

  /** A new file in which {@code to} has {@code from}'s password too (a renamed unit keeps its credentials). */
  public PasswordFile copied(String from, String to) {
    String entry = entries.get(from);
    if (entry == null) {
      throw new IllegalArgumentException("no broker user " + from);
    }
    return withEntry(to, entry);
  }

  /** A new file without {@code user}. */
  public PasswordFile without(String user) {
    Map<String, String> m = new LinkedHashMap<>(entries);
    m.remove(user);
    return new PasswordFile(Map.copyOf(m));
  }

  private PasswordFile withEntry(String user, String entry) {
    if (user.isEmpty() || user.contains(":") || user.contains("\n")) {
      throw new IllegalArgumentException("a broker user name has no ':' or line break");
    }
    Map<String, String> m = new LinkedHashMap<>(entries);
    m.put(user, entry);
    return new PasswordFile(Map.copyOf(m));
  }

  /**
   * Writes the file in one move (readers never see half of it). A file that exists keeps its owner, group and
   * permissions (root running {@code pio credentials} must not take it from the broker's user); a new one is readable
   * by its owner and group only.
   */
  public void write(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    new java.util.TreeMap<>(entries).forEach((u, e) -> lines.add(u + ":" + e));
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".passwd", ".tmp");
    try {
      var permissions = Files.exists(file) ? Files.getPosixFilePermissions(file)
          : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
      Files.setPosixFilePermissions(tmp, permissions);
      if (Files.exists(file)) {
        var view = Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class);
        var attributes = view.readAttributes();
        var tmpView = Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class);
        if (!attributes.owner().equals(Files.getOwner(tmp))) {
          tmpView.setOwner(attributes.owner()); // only root may; anyone else writes files they own anyway
        }
        if (!attributes.group().equals(tmpView.readAttributes().group())) {
          tmpView.setGroup(attributes.group());
        }
      }
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's permissions protect it
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("could not write " + file + " keeping its owner, group and permissions: " + e.getMessage(), e);
    }
  }

  public boolean check(String user, String password) {
    String stored = user == null ? null : entries.get(user);
    if (stored == null || password == null) {
      return false;
    }
    String[] parts = stored.split("\\$");
    try {
      if (parts.length == 5 && "7".equals(parts[1])) {
        int iterations = Integer.parseInt(parts[2]);
        byte[] salt = Base64.getDecoder().decode(parts[3]);
        byte[] hash = Base64.getDecoder().decode(parts[4]);
        return MessageDigest.isEqual(pbkdf2(password, salt, iterations, hash.length), hash);
      }
      if (parts.length == 4 && "6".equals(parts[1])) {
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] hash = Base64.getDecoder().decode(parts[3]);
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        sha.update(password.getBytes(StandardCharsets.UTF_8));
        sha.update(salt);
        return MessageDigest.isEqual(sha.digest(), hash);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
    return false;
  }

  /** A password for a new unit: 24 letters and digits, from a secure random source. */
  public static String newPassword() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String hash(String password) {
    byte[] salt = new byte[12];
    RANDOM.nextBytes(salt);
    try {
      byte[] hash = pbkdf2(password, salt, ITERATIONS, 64);
      return "$7$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$" + Base64.getEncoder().encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is missing from this Java", e);
    }
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations, int bytes) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
    return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
  }
}
