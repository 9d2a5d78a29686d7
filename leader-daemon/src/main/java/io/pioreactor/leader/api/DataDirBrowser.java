package io.pioreactor.leader.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Upstream's file browser ({@code GET /unit_api/system/path/<path>}) over the leader's data directory, read only:
 * a directory answers {@code {current, dirs, files}} (sorted, at most {@link #MAX_ENTRIES}), a file is sent as text.
 * Confined to that one directory: no {@code ..}, no absolute path, nothing a symbolic link leads out to. Sent: only
 * logs, text, CSV, YAML and Markdown files ({@link #SHARED_KINDS}), never the database (upstream refuses SQLite files
 * too), the embedded broker's directory, configuration files (JSON, INI: they may hold passwords) or anything named
 * like a secret; nothing over {@link #MAX_FILE_BYTES}.
 */
final class DataDirBrowser {
  static final int MAX_ENTRIES = 1_000;
  static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
  private static final List<String> SHARED_KINDS = List.of(".log", ".txt", ".csv", ".yaml", ".yml", ".md");
  private static final List<String> SECRET_WORDS = List.of("passw", "credential", "secret", "token", ".key", ".pem");

  private final Vertx vertx;
  private final Path base;

  DataDirBrowser(Vertx vertx, Path base) {
    this.vertx = vertx;
    this.base = base.toAbsolutePath().normalize();
  }

  void answer(RoutingContext ctx, String requested) {
    String rel = requested == null ? "" : requested;
    // A directory's listing, or the file to send: both worked out off the event loop.
    vertx.executeBlocking(() -> {
      Path p = resolve(rel);
      return Files.isDirectory(p) ? listing(p) : p;
    }, false).onSuccess(found -> {
      if (found instanceof JsonObject listing) {
        ctx.json(listing);
      } else {
        ctx.response().putHeader("content-type", "text/plain; charset=utf-8").sendFile(found.toString())
            .onFailure(ctx::fail);
      }
    }).onFailure(ctx::fail);
  }

  /** The path inside the data directory, or a 4xx saying why not. */
  Path resolve(String rel) throws IOException {
    if (rel.length() > 1_024 || rel.startsWith("/") || rel.contains("\\") || rel.chars().anyMatch(Character::isISOControl)) {
      throw forbidden("a path inside the leader's data directory, relative to it (at most 1024 characters)");
    }
    for (String part : rel.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw forbidden("a path without '..' or '.' segments");
      }
    }
    Path p = base.resolve(rel).normalize();
    if (!p.startsWith(base) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
      throw new ApiException(404, "Path not found.", null, "Path does not exist: " + rel, "Check the path and try again.");
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (java.nio.file.NoSuchFileException e) {
      // a link to nothing
      throw new ApiException(404, "Path not found.", null, "Path does not exist: " + rel, "Check the path and try again.");
    }
    if (!real.startsWith(base.toRealPath())) {
      throw forbidden("a path that stays inside the leader's data directory (this one leads out of it)");
    }
    if (!Files.isRegularFile(real) && !Files.isDirectory(real)) {
      // A FIFO, socket or device: opening one can block, and it is no file to read.
      throw forbidden("a file or a directory (this is a pipe, socket or device)");
    }
    if (Files.isRegularFile(real)) {
      if (!shareable(base.toRealPath().relativize(real))) {
        throw new ApiException(403, "Access to this file is restricted.", null,
            "only logs, text, CSV, YAML and Markdown files are sent (never the database, configuration or credentials)", "read it on the leader itself");
      }
      if (Files.size(real) > MAX_FILE_BYTES) {
        throw new ApiException(413, "This file is too big to send here.", null, "over " + MAX_FILE_BYTES + " bytes",
            "copy it from the leader with scp");
      }
    }
    return real;
  }

  private JsonObject listing(Path dir) throws IOException {
    List<String> dirs = new ArrayList<>();
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.limit(MAX_ENTRIES).forEach(e -> (Files.isDirectory(e) ? dirs : files).add(e.getFileName().toString()));
    }
    dirs.sort(null);
    files.sort(null);
    return new JsonObject().put("current", dir.toString()).put("dirs", new JsonArray(dirs)).put("files", new JsonArray(files));
  }

  static boolean shareable(Path relative) {
    String name = relative.toString().toLowerCase(Locale.ROOT);
    if (relative.getNameCount() > 0 && relative.getName(0).toString().equals("broker")) {
      return false;
    }
    // Only kinds of files that hold data and logs: configuration files (JSON, INI) may hold passwords.
    return SHARED_KINDS.stream().anyMatch(name::endsWith) && !name.contains(".sqlite")
        && SECRET_WORDS.stream().noneMatch(name::contains);
  }

  private static ApiException forbidden(String what) {
    return new ApiException(403, "Access to this path is not allowed", null,
        "the browser shows the leader's data directory only", "give " + what);
  }
}
