package dev.otc.e2ee.media;

import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.HandleGuard;
import java.util.Objects;

/**
 * Where a {@link VideoCapturer} hands its frames ({@code otc_video_capturer_provide_frame}); given
 * to {@link VideoCapturer#init}. Any thread, any number of threads.
 *
 * <p>Lifetime: the publisher's native object is freed only after every {@link #provideFrame} in
 * flight has returned, so closing the publisher while another thread provides frames is safe; a
 * call that starts after the publisher was closed throws {@link IllegalStateException}.
 */
public final class VideoFrameSink {
  private final HandleGuard guard;
  /** The native {@code otc_video_capturer*}, set by init before the application's init runs. */
  private volatile long capturer;
  /** Frees the publisher's native object; set once the publisher exists. */
  private volatile Runnable release = () -> {};

  VideoFrameSink() {
    this.guard = new HandleGuard("Publisher (video capturer)", () -> release.run());
  }

  void capturer(long address) {
    this.capturer = address;
  }

  void release(Runnable release) {
    this.release = release;
  }

  /** Ends the sink; the release action runs when the last call in flight returns. */
  void close() {
    guard.close();
  }

  /**
   * Hands one frame to the publisher: the SDK copies (and converts to I420) the pixels before this
   * returns, so {@code frame} may be rewritten for the next one. Frames before the stream is live
   * or while video is disabled are dropped silently; when the encoder falls behind, the oldest
   * waiting frame is dropped, so this never blocks on the encoder. A zero timestamp is replaced
   * by the time of this call. (The SDK does not rotate frames: the C API's {@code rotation} is
   * always 0 here.)
   *
   * @throws IllegalStateException after the publisher was closed
   * @throws OtcException if the native library refuses the frame
   */
  public void provideFrame(VideoFrame frame) {
    Objects.requireNonNull(frame, "frame");
    guard.acquire();
    try {
      long c = capturer;
      if (c == 0) {
        throw new IllegalStateException("the capturer is not initialised");
      }
      long nativeFrame = frame.toNative();
      int status;
      try {
        status = otc.otc_video_capturer_provide_frame(c, 0, nativeFrame);
      } finally {
        otc.otc_video_frame_delete(nativeFrame);
      }
      if (status != otc.OTC_SUCCESS) {
        throw new OtcException(status, "provideFrame");
      }
    } finally {
      guard.release();
    }
  }

  /** Whether the publisher was closed (frames are refused). */
  public boolean isClosed() {
    return guard.isClosed();
  }
}
