package io.pioreactor.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Name rules for units and experiments: upstream's, plus RFC 1123's length limit for hostnames.
 * Each check returns the reason a name is refused, or empty when it is fine.
 */
public final class Names {
  private static final Pattern UNIT = Pattern.compile("^[A-Za-z0-9_-]+$");
  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
  public static final int MAX_UNIT_LENGTH = 63;
  public static final int MAX_EXPERIMENT_LENGTH = 199;

  private Names() {}

  public static Optional<String> unitNameProblem(String name) {
    if (name == null || name.isBlank()) {
      return Optional.of("a worker name is required");
    }
    if (name.length() > MAX_UNIT_LENGTH) {
      return Optional.of("a worker name has at most " + MAX_UNIT_LENGTH + " characters (RFC 1123)");
    }
    if (name.toLowerCase().endsWith(".local")) {
      return Optional.of("give the hostname without '.local'");
    }
    if (IPV4.matcher(name).matches()) {
      return Optional.of("a worker name cannot be an IP address; pass the address with -a / ipv4_address");
    }
    if (Topics.BROADCAST.equals(name)) {
      return Optional.of("'$broadcast' is reserved");
    }
    if (!UNIT.matcher(name).matches()) {
      return Optional.of("a worker name may contain only letters, digits, '-' and '_'");
    }
    if ("localhost".equalsIgnoreCase(name)) {
      return Optional.of("'localhost' is not a worker name");
    }
    if (name.startsWith("-") || name.endsWith("-")) {
      return Optional.of("a worker name cannot start or end with '-' (RFC 1123)");
    }
    return Optional.empty();
  }

  public static Optional<String> experimentNameProblem(String name) {
    if (name == null || name.isBlank()) {
      return Optional.of("an experiment name is required");
    }
    if (name.length() > MAX_EXPERIMENT_LENGTH) {
      return Optional.of("an experiment name has fewer than 200 characters");
    }
    if (!name.strip().equals(name)) {
      return Optional.of("an experiment name cannot start or end with spaces");
    }
    if (".".equals(name) || "..".equals(name)) {
      return Optional.of("'.' and '..' are not experiment names (they mean something else in a path)");
    }
    if ("current".equals(name)) {
      return Optional.of("'current' is reserved");
    }
    if (name.startsWith("_testing")) {
      return Optional.of("names starting with '_testing' are reserved");
    }
    for (char c : name.toCharArray()) {
      if ("#$%+/\\".indexOf(c) >= 0) {
        return Optional.of("an experiment name cannot contain any of # $ % + / \\");
      }
      if (Character.isISOControl(c)) {
        return Optional.of("an experiment name cannot contain control characters");
      }
    }
    return Optional.empty();
  }

  public static boolean isIpv4(String s) {
    if (s == null || !IPV4.matcher(s).matches()) {
      return false;
    }
    for (String octet : s.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }
}
