package dev.otc.e2ee.media;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A capturer of the {@link TestPattern}, driven by the test's own threads through {@link #capture}. */
final class PatternCapturer implements VideoCapturer {
  final TestPattern pattern;
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger stopped = new AtomicInteger();
  final AtomicInteger destroyed = new AtomicInteger();
  /** Callback names in call order, with the thread they ran on. */
  final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile VideoFrameSink sink;
  private final ThreadLocal<VideoFrame> frame;

  PatternCapturer(int width, int height) {
    this.pattern = new TestPattern(width, height);
    this.frame = ThreadLocal.withInitial(() -> VideoFrame.allocate(VideoFormat.I420, width, height));
  }

  @Override
  public boolean init(VideoFrameSink sink) {
    calls.add("init");
    this.sink = sink;
    return true;
  }

  @Override
  public void start() {
    calls.add("start");
    started.incrementAndGet();
  }

  @Override
  public void stop() {
    calls.add("stop");
    stopped.incrementAndGet();
  }

  @Override
  public void destroy() {
    calls.add("destroy");
    destroyed.incrementAndGet();
  }

  @Override
  public CaptureSettings captureSettings() {
    calls.add("settings");
    return new CaptureSettings(VideoFormat.I420, pattern.width(), pattern.height(), 30);
  }

  VideoFrameSink sink() {
    return sink;
  }

  /** Renders frame {@code n} into this thread's reusable frame and provides it. */
  void capture(int n) {
    VideoFrame f = frame.get();
    pattern.render(n, f);
    f.timestampUs(System.nanoTime() / 1000);
    sink.provideFrame(f);
  }
}
