package io.pioreactor.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code pio} CLI run as its own process, as a user at a terminal runs it. */
public final class Cli {
  public record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private final String leaderUrl;
  private String user;
  private String password;

  public Cli(String leaderUrl) {
    this.leaderUrl = leaderUrl;
  }

  /** Signs in as a user would: PIO_API_USERNAME / PIO_API_PASSWORD. */
  void credentials(String user, String password) {
    this.user = user;
    this.password = password;
  }

  public Result run(String... args) throws IOException, InterruptedException {
    return run(java.util.Map.of(), args);
  }

  /** With more environment, e.g. {@code EDITOR} for {@code pio config edit}. */
  public Result run(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DaemonProcess.java(), "-XX:TieredStopAtLevel=1", "-cp",
        DaemonProcess.LEADER_JAR.toString(), "io.pioreactor.leader.cli.PioCli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PIO_LEADER_URL", leaderUrl);
    if (user != null) {
      pb.environment().put("PIO_API_USERNAME", user);
      pb.environment().put("PIO_API_PASSWORD", password);
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close(); // no one at the keyboard: a question gets end of input, not a wait
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("pio " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }
}
