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
    Process p = process(env, args).start();
    p.getOutputStream().close(); // no one at the keyboard: a question gets end of input, not a wait
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("pio " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /**
   * At a terminal: the CLI under {@code script} (util-linux), which gives it a pseudo-terminal, with {@code answer} typed
   * in. What it printed comes back as {@code out} (the terminal mixes both streams). Test arguments only: they are quoted
   * for {@code script}'s shell.
   */
  public Result runAtTerminal(String answer, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(process(java.util.Map.of(), args).command());
    StringBuilder line = new StringBuilder();
    for (String c : cmd) {
      line.append(line.length() == 0 ? "" : " ").append("'").append(c.replace("'", "'\\''")).append("'");
    }
    ProcessBuilder pb = process(java.util.Map.of(), args).command("script", "-q", "-e", "-c", line.toString(), "/dev/null");
    Process p = pb.start();
    p.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("pio " + String.join(" ", args) + " did not finish at the terminal");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private ProcessBuilder process(java.util.Map<String, String> env, String... args) {
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
    return pb;
  }

  /** A command that runs until stopped ({@code pio logs -f}): what it has printed so far, read as it comes. */
  public final class Running implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();

    private Running(Process process) throws IOException {
      this.process = process;
      process.getOutputStream().close();
      drain(process.getInputStream(), out);
      drain(process.getErrorStream(), err);
    }

    private void drain(java.io.InputStream in, StringBuffer to) {
      Thread t = new Thread(() -> {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            to.append(line).append('\n');
          }
        } catch (IOException e) {
          // the process ended
        }
      });
      t.setDaemon(true);
      t.start();
    }

    public String out() {
      return out.toString();
    }

    public String err() {
      return err.toString();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Stops it as Ctrl-C would (SIGTERM). */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  public Running start(String... args) throws IOException {
    Process p = process(java.util.Map.of(), args).start();
    try {
      return new Running(p);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }
}
