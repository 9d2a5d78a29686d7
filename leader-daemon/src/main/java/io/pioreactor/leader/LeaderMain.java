package io.pioreactor.leader;

import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.protocol.daemon.Daemons;

/** {@code java -jar leader-daemon.jar [--config FILE]}: reads the config, deploys the leader, runs until stopped. */
public final class LeaderMain {
  private LeaderMain() {}

  public static void main(String[] args) {
    Daemons.run("leader", args, (json, restart) -> new LeaderVerticle(LeaderConfig.fromJson(json, Daemons.hostname("leader")), restart));
  }
}
