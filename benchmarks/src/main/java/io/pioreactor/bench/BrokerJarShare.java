package io.pioreactor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * How many bytes of the leader's jar are the embedded broker: Artemis and the libraries only it
 * brings (from {@code mvn dependency:tree}), counted as compressed entries.
 */
public final class BrokerJarShare {
  static final List<String> BROKER_PREFIXES = List.of(
      "org/apache/activemq/", "com/github/benmanes/caffeine/", "org/jspecify/", "de/dentrassi/", "com/hierynomus/",
      "org/jctools/", "io/netty/handler/codec/haproxy/", "io/netty/channel/kqueue/", "org/apache/commons/beanutils/",
      "org/apache/commons/logging/", "org/snakeyaml/", "org/apache/commons/lang3/", "org/apache/commons/configuration2/",
      "org/apache/commons/text/", "org/apache/commons/io/", "org/apache/commons/collections/", "io/micrometer/",
      "META-INF/native/libnetty_transport_native_kqueue", "lib/linux-");

  public record Share(long jarBytes, long brokerBytes) {}

  private BrokerJarShare() {}

  public static Share of(Path jar) throws IOException {
    long broker = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        if (BROKER_PREFIXES.stream().anyMatch(e.getName()::startsWith)) {
          broker += Math.max(0, e.getCompressedSize());
        }
      }
    }
    return new Share(Files.size(jar), broker);
  }
}
