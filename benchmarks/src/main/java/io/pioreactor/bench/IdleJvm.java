package io.pioreactor.bench;

/**
 * The floor for a daemon's footprint: a JVM with the same flags that only says it is up and then waits.
 * What a daemon costs beyond this is the daemon's own.
 */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("up");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
