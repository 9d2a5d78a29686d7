package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A unit's effective cluster configuration as the leader sends it ({@link Topics#unitConfig}, retained, to that unit
 * alone): {@code {"version": "<12 hex>", "code": "<INI text>", "sent_at": "<ISO>"}}. The version is a digest of the
 * text, so the same configuration has the same version across leader restarts.
 */
public record ConfigDelivery(String version, String code, String sentAt) {
  public static final int VERSION_LENGTH = 12;

  public ConfigDelivery {
    if (version == null || !version.matches("[0-9a-f]{" + VERSION_LENGTH + "}")) {
      throw new MalformedMessageException("'version' must be " + VERSION_LENGTH + " hex digits");
    }
    if (code == null || code.length() > io.pioreactor.protocol.config.Ini.MAX_BYTES) {
      throw new MalformedMessageException("'code' is required, at most " + io.pioreactor.protocol.config.Ini.MAX_BYTES + " characters");
    }
  }

  /** The version of a configuration text: the first 12 hex digits of its SHA-256. */
  public static String versionOf(String code) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, VERSION_LENGTH);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static ConfigDelivery of(String code, String sentAt) {
    return new ConfigDelivery(versionOf(code), code, sentAt);
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("code", code).put("sent_at", sentAt);
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static ConfigDelivery fromBuffer(Buffer b) {
    JsonObject o = Json.object(b);
    return new ConfigDelivery(Json.requiredString(o, "version"), Json.requiredString(o, "code"), Json.optionalString(o, "sent_at"));
  }
}
