package io.pioreactor.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Separate hosts on one machine: a network namespace per host, joined by a bridge (iproute2, root). The bridge
 * has an address too, so the test itself reaches every host. Names are unique per run; close() removes them all.
 */
final class NetworkNamespaces implements AutoCloseable {
  static final String SUBNET = "10.231.7.";
  private final String tag = Long.toHexString(System.nanoTime() & 0xfffff);
  private final String bridge = "piobr" + tag;
  private final List<String> namespaces = new ArrayList<>();
  /** Each host's end of its cable on the bridge side: taking it down unplugs the host. */
  private final java.util.Map<String, String> cables = new java.util.HashMap<>();

  /** Why this machine cannot run the test, or null when it can. */
  static String unavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "network namespaces need root (CI runs as root)";
    }
    try {
      Commands.run(List.of("ip", "-V"));
      return null;
    } catch (IOException | IllegalStateException e) {
      return "iproute2's `ip` is not installed";
    }
  }

  NetworkNamespaces() throws IOException {
    Commands.run(List.of("ip", "link", "add", bridge, "type", "bridge"));
    Commands.run(List.of("ip", "addr", "add", SUBNET + "254/24", "dev", bridge));
    Commands.run(List.of("ip", "link", "set", bridge, "up"));
  }

  /** A host with address {@code SUBNET + octet}; returns the prefix that runs a command inside it. */
  List<String> host(String name, int octet) throws IOException {
    String ns = "pio-" + tag + "-" + name;
    String outside = "vo" + tag + octet;
    String inside = "vi" + tag + octet;
    Commands.run(List.of("ip", "netns", "add", ns));
    namespaces.add(ns);
    Commands.run(List.of("ip", "link", "add", outside, "type", "veth", "peer", "name", inside));
    Commands.run(List.of("ip", "link", "set", inside, "netns", ns));
    Commands.run(List.of("ip", "link", "set", outside, "master", bridge));
    Commands.run(List.of("ip", "link", "set", outside, "up"));
    cables.put(name, outside);
    Commands.run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
    Commands.run(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", SUBNET + octet + "/24", "dev", inside));
    Commands.run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up"));
    Commands.run(List.of("ip", "netns", "exec", ns, "ip", "route", "add", "224.0.0.0/4", "dev", inside));
    // Its own hostname too (a UTS namespace), so a daemon with no unit configured takes its name from it.
    return List.of("ip", "netns", "exec", ns, "unshare", "--uts", "sh", "-c", "hostname \"$0\" && exec \"$@\"", name);
  }

  /** Unplugs host {@code name}: its link goes down, packets stop both ways, no connection is closed cleanly. */
  void cut(String name) throws IOException {
    Commands.run(List.of("ip", "link", "set", cables.get(name), "down"));
  }

  /** Plugs host {@code name} back in. */
  void restore(String name) throws IOException {
    Commands.run(List.of("ip", "link", "set", cables.get(name), "up"));
  }

  @Override
  public void close() {
    for (String ns : namespaces) {
      quietly(List.of("ip", "netns", "del", ns));
    }
    quietly(List.of("ip", "link", "del", bridge));
  }

  private static void quietly(List<String> cmd) {
    try {
      Commands.run(cmd);
    } catch (IOException | RuntimeException e) {
      // best effort: the next run uses fresh names anyway
    }
  }

}
