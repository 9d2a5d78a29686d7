package io.pioreactor.leader.cli;

import io.pioreactor.protocol.auth.PasswordFile;

import io.pioreactor.protocol.Names;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code pio credentials <name> --file <password file> [--password P]}: gives a unit (or a broker user such as
 * {@code pioreactor.web}) a new broker password in a mosquitto-format password file and prints it once. Runs on the
 * leader's machine, on the file itself (no leader needed): the embedded broker reads the file again by itself;
 * mosquitto needs {@code systemctl reload mosquitto}. Without {@code --password} a random one is made;
 * {@code --same-as OLD} gives the name OLD's password (before {@code pio workers rename OLD NEW} with mosquitto: the
 * renamed worker keeps its password; the embedded broker's leader does this itself).
 */
final class CredentialsCommand {
  static final String USAGE = "usage: pio credentials <unit | pioreactor.web | pioreactor.leader> --file <password file> "
      + "[--password P | --same-as UNIT]";

  private CredentialsCommand() {}

  static void run(List<String> words, PrintStream out) {
    Args a = Args.parse(words, Set.of("--file", "--password", "--same-as"));
    a.atMost(1);
    String name = a.required(0, "a unit or broker user name");
    String file = a.one("--file");
    if (file == null) {
      throw CliException.usage(USAGE);
    }
    boolean special = name.startsWith("pioreactor.") && name.matches("pioreactor\\.[a-z]+");
    if (!special && Names.unitNameProblem(name).isPresent()) {
      throw CliException.usage("'" + name + "' is neither a unit name (" + Names.unitNameProblem(name).get() + ") nor a broker user of ours");
    }
    String sameAs = a.one("--same-as");
    if (sameAs != null) {
      copy(Path.of(file), sameAs, name, out);
      return;
    }
    String given = a.one("--password");
    if (given != null && (given.length() < 12 || given.chars().anyMatch(c -> c <= ' ' || c == ':'))) {
      throw CliException.usage("--password: at least 12 characters, no spaces or ':'");
    }
    String password = given != null ? given : PasswordFile.newPassword();
    Path path = Path.of(file);
    try {
      PasswordFile current = Files.exists(path) ? PasswordFile.read(path) : PasswordFile.empty();
      current.withPassword(name, password).write(path);
    } catch (IOException e) {
      throw new CliException(CliException.REFUSED, "cannot write " + path + ": " + e.getMessage());
    }
    out.println(given != null ? "Broker password for " + name + " set." : "Broker password for " + name + ": " + password);
  }

  private static void copy(Path path, String from, String to, PrintStream out) {
    try {
      PasswordFile current = Files.exists(path) ? PasswordFile.read(path) : PasswordFile.empty();
      if (!current.has(from)) {
        throw new CliException(CliException.REFUSED, from + " has no broker password in " + path);
      }
      current.copied(from, to).write(path);
    } catch (IOException e) {
      throw new CliException(CliException.REFUSED, "cannot write " + path + ": " + e.getMessage());
    }
    out.println(to + " now has " + from + "'s broker password.");
  }
}
