package dev.otc.e2ee.media;

import dev.otc.e2ee.Subscriber;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A renderer that reads the frame counter of each decoded picture and measures its PSNR against
 * the source picture regenerated from that counter.
 */
final class Recorder implements VideoRenderer {
  final List<Integer> counters = new CopyOnWriteArrayList<>();
  final List<Double> psnr = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();
  private final TestPattern pattern;
  private final VideoFrame reference;
  volatile VideoFrame lastView;
  /** Calls begun (including one waiting for a permit). */
  final java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
  private final Object gate = new Object();
  private int permits = UNLIMITED; // guarded by gate
  static final int UNLIMITED = Integer.MAX_VALUE;
  /** Distinct VideoFrame objects passed to the renderer: one when rendering reuses its view. */
  final java.util.Set<Object> frameObjects =
      java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

  Recorder(int width, int height) {
    this.pattern = new TestPattern(width, height);
    this.reference = VideoFrame.allocate(VideoFormat.I420, width, height);
  }

  /**
   * A renderer that is behind, without timing: each call takes a permit, waiting until one is
   * given. {@link #UNLIMITED} (the default) never waits.
   */
  void setPermits(int count) {
    synchronized (gate) {
      permits = count;
      gate.notifyAll();
    }
  }

  @Override
  public void onRenderFrame(Subscriber subscriber, VideoFrame frame) {
    entered.incrementAndGet();
    synchronized (gate) {
      while (permits == 0) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (permits != UNLIMITED && permits > 0) {
        permits--;
      }
    }
    int n = TestPattern.readCounter(frame);
    pattern.render(n, reference);
    psnr.add(TestPattern.psnr(reference, frame));
    frameObjects.add(frame);
    lastView = frame;
    if (threads.isEmpty()) {
      threads.add(Thread.currentThread().getName());
    }
    counters.add(n);
  }

  int rendered() {
    return counters.size();
  }
}
