package io.pioreactor.protocol;

/** A payload that does not decode into the message it should be. */
public class MalformedMessageException extends IllegalArgumentException {
  public MalformedMessageException(String message) {
    super(message);
  }
}
