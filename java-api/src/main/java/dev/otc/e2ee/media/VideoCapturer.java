package dev.otc.e2ee.media;

/**
 * The application's source of raw video for a publisher ({@code otc_video_capturer_callbacks},
 * native/include/otc/video_capturer.h), given to {@code Publisher.builder().videoCapturer(...)}.
 * The SDK converts each provided frame to I420, encodes it with the publisher's video codec on a
 * media worker thread, and sends it (encrypted in an E2EE session).
 *
 * <p>When the methods run (the same order for every publisher):
 * <ul>
 *   <li>{@link #init} then {@link #captureSettings}: inside {@code Publisher.Builder.build()}, on
 *   the building thread. {@code init} receives the {@link VideoFrameSink} to provide frames
 *   through, from any thread of the application, until {@link #destroy}.</li>
 *   <li>{@link #start}: on the session's callback thread when the stream goes live (frames
 *   provided before are dropped); again after each re-publish.</li>
 *   <li>{@link #stop}: when the stream ends, on the thread that ends it.</li>
 *   <li>{@link #destroy}: inside {@code Publisher.close()}, after stop. Frames provided after that
 *   are refused with {@link IllegalStateException}.</li>
 * </ul>
 * A method that throws counts as a failure ({@code init} or {@code captureSettings}: the publisher
 * is not built); the exception is logged, never propagated into native code. Do not close the
 * publisher from inside these methods.
 */
public interface VideoCapturer {
  /** The capturer is attached; keep {@code sink} to provide frames. Return false to refuse. */
  default boolean init(VideoFrameSink sink) {
    return true;
  }

  /** The stream is live: start producing frames. */
  default void start() {}

  /** The stream ended: stop producing frames. */
  default void stop() {}

  /** The publisher is being closed: release everything; the sink refuses frames from now on. */
  default void destroy() {}

  /** What the capturer delivers; asked once, after {@link #init}. */
  CaptureSettings captureSettings();

  /**
   * {@code struct otc_video_capturer_settings}: the format and size of the frames the capturer
   * will provide (other sizes are accepted too: the encoder follows each frame's size) and the
   * frame rate (1..60) the encoder's rate control plans for.
   */
  record CaptureSettings(VideoFormat format, int width, int height, int fps) {
    public CaptureSettings {
      java.util.Objects.requireNonNull(format, "format");
      if (width < 1 || height < 1 || fps < 1 || fps > 60) {
        throw new IllegalArgumentException("capture settings " + width + "x" + height + " at " + fps + " fps");
      }
    }
  }
}
