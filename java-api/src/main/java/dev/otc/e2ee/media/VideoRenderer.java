package dev.otc.e2ee.media;

import dev.otc.e2ee.Subscriber;

/**
 * Receives a subscriber's decoded video ({@code on_render_frame}), given to
 * {@code Session.subscribe(stream, listener, renderer)}. Without a renderer the SDK does not decode
 * video at all.
 *
 * <p>Runs on the session's SDK callback thread, synchronously, whatever executor the session
 * has: {@code frame} is a zero-copy view of the decoded picture (I420), valid only until this
 * method returns ({@link VideoFrame#copy()} to keep it). Frames arrive in stream order; after a
 * gap or a key mismatch the SDK waits for a keyframe, so no corrupt picture is ever rendered.
 * Keep it short: it holds up the session's other callbacks. A renderer that falls behind gets the
 * newest pictures: at most 4 wait, and the oldest waiting one is dropped to make room
 * ({@link DecoderStats#videoFramesDroppedRender()}). An exception is logged and dropped.
 */
@FunctionalInterface
public interface VideoRenderer {
  void onRenderFrame(Subscriber subscriber, VideoFrame frame);
}
