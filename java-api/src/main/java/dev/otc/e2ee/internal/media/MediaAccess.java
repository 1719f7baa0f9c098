package dev.otc.e2ee.internal.media;

import dev.otc.e2ee.media.VideoFrame;
import dev.otc.e2ee.media.VideoFrameSink;

/**
 * What the native bridges need of {@code dev.otc.e2ee.media} beyond its API: binding a reusable
 * {@link VideoFrame} view to a native frame, and a {@link VideoFrameSink}'s native side. The media
 * package installs the one implementation when it is initialized, so these members stay
 * package-private there and out of the exported API (the JDK's "shared secrets" pattern).
 */
public interface MediaAccess {
  VideoFrameSink newSink();

  /** The native {@code otc_video_capturer*} the sink provides frames to. */
  void attachCapturer(VideoFrameSink sink, long capturer);

  /** What frees the publisher's native object once no call is in flight. */
  void onRelease(VideoFrameSink sink, Runnable release);

  void closeSink(VideoFrameSink sink);

  /** A view with no frame, reused for every rendered frame of one subscriber. */
  VideoFrame newView();

  void bind(VideoFrame view, long nativeFrame);

  void unbind(VideoFrame view);

  /** Plane views created so far (cache misses; for tests). */
  long viewsCreated(VideoFrame view);

  /** The implementation, installed by the media package's initialization. */
  static MediaAccess get() {
    MediaAccess a = Holder.access;
    if (a == null) {
      try {
        Class.forName(VideoFrame.class.getName(), true, VideoFrame.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      a = Holder.access;
    }
    return a;
  }

  /** Called once, by the media package. */
  static void install(MediaAccess access) {
    if (Holder.access != null) {
      throw new IllegalStateException("media access installed twice");
    }
    Holder.access = access;
  }

  /** Interfaces have no private mutable fields: the installed instance lives here. */
  final class Holder {
    private static volatile MediaAccess access;

    private Holder() {}
  }
}
