package io.pioreactor.worker.presence;

import io.pioreactor.protocol.Protocol;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What this machine is: addresses, MACs, HAT and board. Read with blocking calls: call off the event loop. */
public record HostFacts(List<String> ipv4Addresses, String wlanMac, String ethMac, JsonObject versions) {

  public static HostFacts read() {
    List<String> ipv4 = new ArrayList<>();
    String wlan = "";
    String eth = "";
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isLoopback() || !nic.isUp()) {
          continue;
        }
        nic.getInterfaceAddresses().stream().map(a -> a.getAddress()).filter(a -> a instanceof Inet4Address)
            .forEach(a -> ipv4.add(a.getHostAddress()));
        String mac = mac(nic);
        if (nic.getName().startsWith("wl") && wlan.isEmpty()) {
          wlan = mac;
        } else if ((nic.getName().startsWith("eth") || nic.getName().startsWith("en")) && eth.isEmpty()) {
          eth = mac;
        }
      }
    } catch (SocketException e) {
      // No network information: report none rather than fail.
    }
    JsonObject versions = new JsonObject()
        .put("app", Protocol.APP_VERSION)
        .put("hat", file("/proc/device-tree/hat/product_ver", "0.0"))
        .put("firmware", "0.0")
        .put("rpi_machine", file("/proc/device-tree/model", System.getProperty("os.name") + " " + System.getProperty("os.arch")))
        .put("protocol", Protocol.VERSION);
    return new HostFacts(List.copyOf(ipv4), wlan, eth, versions);
  }

  public String firstIpv4() {
    return ipv4Addresses.isEmpty() ? "" : ipv4Addresses.get(0);
  }

  private static String mac(NetworkInterface nic) throws SocketException {
    byte[] b = nic.getHardwareAddress();
    if (b == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(sb.length() == 0 ? "" : ":").append(String.format("%02x", x));
    }
    return sb.toString();
  }

  private static String file(String path, String dflt) {
    try {
      // Device-tree strings end with a NUL byte.
      return Files.readString(Path.of(path), StandardCharsets.UTF_8).replace("\u0000", "").trim();
    } catch (IOException | SecurityException e) {
      return dflt;
    }
  }
}
