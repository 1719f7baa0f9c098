package dev.otc.e2ee;

/**
 * Events of a {@link Publisher} ({@code struct otc_publisher_callbacks}); empty defaults.
 *
 * <p>Delivered in order on the event thread of the session the publisher is published to; a
 * listener may call any SDK method, including {@link Publisher#close()}. Whatever it throws is
 * logged and ignored.
 */
public interface PublisherListener {
  /** The router accepted the stream: frames may be sent from now on. */
  default void onStreamCreated(Publisher publisher, Stream stream) {}

  /** The stream ended (unpublished, session disconnected or dropped). */
  default void onStreamDestroyed(Publisher publisher, Stream stream) {}

  /**
   * An error, e.g. {@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING} (publishing in an E2EE
   * session without a secret: no stream is created), {@link ErrorCode#PUBLISHER_ENCRYPTION_INTERNAL_ERROR},
   * {@link ErrorCode#SESSION_PERMISSION_DENIED}, {@link ErrorCode#SESSION_UNENCRYPTED_FRAME_REFUSED}.
   */
  default void onError(Publisher publisher, OtcException error) {}

  /** A subscriber (or the router) asks for a keyframe: encode the next video frame as one. */
  default void onKeyframeRequested(Publisher publisher) {}
}
