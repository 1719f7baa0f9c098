package dev.otc.e2ee.media;

import dev.otc.e2ee.internal.media.MediaAccess;

/** The media package's side of {@link MediaAccess}: its package-private members, for the bridges. */
final class Access implements MediaAccess {
  static {
    MediaAccess.install(new Access());
  }

  private Access() {}

  /** Installs the access once (VideoFrame's initialization calls it). */
  static void ensureInstalled() {
    // Loading this class ran its static initializer.
  }

  @Override
  public VideoFrameSink newSink() {
    return new VideoFrameSink();
  }

  @Override
  public void attachCapturer(VideoFrameSink sink, long capturer) {
    sink.capturer(capturer);
  }

  @Override
  public void onRelease(VideoFrameSink sink, Runnable release) {
    sink.release(release);
  }

  @Override
  public void closeSink(VideoFrameSink sink) {
    sink.close();
  }

  @Override
  public VideoFrame newView() {
    return VideoFrame.newView();
  }

  @Override
  public void bind(VideoFrame view, long nativeFrame) {
    view.bind(nativeFrame);
  }

  @Override
  public void unbind(VideoFrame view) {
    view.unbind();
  }

  @Override
  public long viewsCreated(VideoFrame view) {
    return view.viewsCreated();
  }
}
