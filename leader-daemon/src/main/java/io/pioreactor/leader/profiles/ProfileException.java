package io.pioreactor.leader.profiles;

/** A profile that cannot run, with a message that names the line (and column) in the file. */
public final class ProfileException extends RuntimeException {
  public ProfileException(String message) {
    super(message);
  }
}
