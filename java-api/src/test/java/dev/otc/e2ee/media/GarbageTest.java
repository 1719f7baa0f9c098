package dev.otc.e2ee.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.router.MediaRouter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Heap allocation on the steady capture and render paths, measured per thread with
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}: providing a frame from
 * the application's thread allocates nothing; rendering allocates only the argument wrappers
 * JavaCPP's callback glue creates per call (the frame view and its plane buffers are reused).
 */
@Timeout(300)
class GarbageTest {
  /** Three 48-byte Pointer wrappers, rounded up. */
  private static final long BOUND = 3 * 64;
  private static final int WINDOW = 30;
  private static final int MAX_WINDOWS = 40;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Records the callback thread's allocation counter at each render (the last RING renders). */
  static final class CountingRenderer implements VideoRenderer {
    static final int RING = 256;
    final long[] allocatedAt = new long[RING];
    volatile int count;
    long checksum;

    @Override
    public void onRenderFrame(Subscriber subscriber, VideoFrame frame) {
      int n = count;
      allocatedAt[n % RING] = THREADS.getCurrentThreadAllocatedBytes();
      // Touch the frame as a renderer would: planes, strides, size.
      for (int p = 0; p < frame.planeCount(); p++) {
        checksum += frame.plane(p).get(0) + frame.stride(p);
      }
      checksum += frame.width() + frame.height() + frame.timestampUs();
      count = n + 1;
    }
  }

  @Test
  void steadyCaptureAndRenderPathsMakeNoGarbageOfTheirOwn() {
    try (MediaRouter router = MediaRouter.builder().ioThreads(2).start()) {
      String secret = "garbage test secret, long enough";
      CountingRenderer renderer = new CountingRenderer();
      try (MediaRig rig = new MediaRig(router, Codec.VP8, 320, 180, secret, secret, renderer)) {
        VideoFrame frame = VideoFrame.allocate(VideoFormat.I420, 320, 180);
        rig.capturer.pattern.render(1, frame);
        VideoFrameSink sink = rig.capturer.sink();
        for (int i = 0; i < 200; i++) { // warm up (interpreter -> JIT, caches)
          sink.provideFrame(frame);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
          sink.provideFrame(frame);
        }
        long perCapture = (THREADS.getCurrentThreadAllocatedBytes() - before) / 1000;
        System.out.println("[garbage] provideFrame: " + perCapture + " bytes per frame on the application thread");
        assertThat(perCapture).as("bytes allocated per provideFrame").isZero();

        // Render: pace captures so that frames are decoded and rendered one by one, a window of
        // WINDOW frames at a time, until one window's median is within the bound. Steady state
        // means compiled code: on a loaded machine the JIT may take hundreds of frames to get to
        // the callback path (interpreted or C1 code allocates more), so the test waits for it
        // rather than judging after a fixed warm-up.
        List<Long> medians = new ArrayList<>();
        long median = Long.MAX_VALUE;
        int frameNumber = 0;
        while (median > BOUND && medians.size() < MAX_WINDOWS) {
          int from = renderer.count;
          while (renderer.count < from + WINDOW + 1) {
            rig.capturer.capture(frameNumber++);
            int want = renderer.count + 1;
            long end = System.nanoTime() + 2_000_000_000L;
            while (renderer.count < want && System.nanoTime() < end) {
              java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            assertThat(frameNumber).as("frames captured for %d windows", medians.size())
                .isLessThan(2 * (WINDOW + 1) * MAX_WINDOWS);
          }
          long[] deltas = new long[WINDOW];
          for (int i = 0; i < WINDOW; i++) {
            deltas[i] = renderer.allocatedAt[(from + i + 1) % CountingRenderer.RING]
                - renderer.allocatedAt[(from + i) % CountingRenderer.RING];
          }
          Arrays.sort(deltas);
          median = deltas[WINDOW / 2];
          medians.add(median);
        }
        System.out.println("[garbage] render callback thread: median bytes per rendered frame, per window of " + WINDOW
            + " frames: " + medians);
        // JavaCPP's callback glue wraps each native argument (otc_subscriber, void*, otc_video_frame)
        // in a new Pointer object per call; nothing else may be allocated per frame.
        assertThat(median).as("bytes per rendered frame (medians of the windows: %s)", medians).isLessThanOrEqualTo(BOUND);
      }
    }
  }
}
