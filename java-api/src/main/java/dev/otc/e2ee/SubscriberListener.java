package dev.otc.e2ee;

/**
 * Events of a {@link Subscriber} ({@code struct otc_subscriber_callbacks}); empty defaults.
 *
 * <p>Delivered in order on the session's event thread; a listener may call any SDK method,
 * including {@link Subscriber#close()}. Whatever it throws is logged and ignored.
 */
public interface SubscriberListener {
  /** The router confirmed the subscription. */
  default void onConnected(Subscriber subscriber) {}

  /** The subscription ended (unsubscribed, stream destroyed, session disconnected or dropped). */
  default void onDisconnected(Subscriber subscriber) {}

  /**
   * One decrypted frame. Frames that cannot be decrypted are never delivered. The payload is
   * valid only until this method returns: use {@link MediaFrame#copy()} to keep it.
   */
  default void onFrame(Subscriber subscriber, MediaFrame frame) {}

  /**
   * An error, e.g. {@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISSING} (subscribing in an E2EE
   * session without a secret), {@link ErrorCode#SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH} (once per
   * transition into failure; the message names the stream),
   * {@link ErrorCode#SUBSCRIBER_DECRYPTION_INTERNAL_ERROR}, {@link ErrorCode#STREAM_NOT_FOUND}.
   */
  default void onError(Subscriber subscriber, OtcException error) {}

  /**
   * Frames decrypt again after a reported mismatch (once per recovery); the SDK has asked the
   * publisher for a keyframe.
   */
  default void onEncryptionSecretMatch(Subscriber subscriber) {}
}
