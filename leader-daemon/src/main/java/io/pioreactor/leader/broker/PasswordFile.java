package io.pioreactor.leader.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A mosquitto password file ({@code mosquitto_passwd}): {@code user:$7$iterations$salt$hash} (PBKDF2 with
 * HMAC-SHA512) or {@code user:$6$salt$hash} (salted SHA-512). Reading the same file as mosquitto means one
 * set of credentials for either broker.
 */
final class PasswordFile {
  private final Map<String, String> entries;

  private PasswordFile(Map<String, String> entries) {
    this.entries = entries;
  }

  static PasswordFile read(Path file) throws IOException {
    Map<String, String> entries = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (line.isBlank() || line.startsWith("#") || colon <= 0) {
        continue;
      }
      entries.put(line.substring(0, colon), line.substring(colon + 1).trim());
    }
    return new PasswordFile(entries);
  }

  boolean check(String user, String password) {
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
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, hash.length * 8);
        byte[] given = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        return MessageDigest.isEqual(given, hash);
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
}
