package dev.otc.e2ee.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.router.MediaRouter;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
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
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Records the callback thread's allocation counter at each render. */
  static final class CountingRenderer implements VideoRenderer {
    final long[] allocatedAt = new long[400];
    volatile int count;
    long checksum;

    @Override
    public void onRenderFrame(Subscriber subscriber, VideoFrame frame) {
      int n = count;
      if (n < allocatedAt.length) {
        allocatedAt[n] = THREADS.getCurrentThreadAllocatedBytes();
      }
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

        // Render: pace captures so that frames are decoded and rendered one by one.
        for (int i = 0; i < 200 && renderer.count < 150; i++) {
          rig.capturer.capture(i);
          int want = Math.min(renderer.count + 1, 150);
          long end = System.nanoTime() + 2_000_000_000L;
          while (renderer.count < want && System.nanoTime() < end) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
          }
        }
        await().atMost(MediaRig.WAIT).until(() -> renderer.count >= 150);
        long[] deltas = new long[89];
        for (int i = 0; i < deltas.length; i++) {
          deltas[i] = renderer.allocatedAt[60 + i + 1] - renderer.allocatedAt[60 + i];
        }
        Arrays.sort(deltas);
        long median = deltas[deltas.length / 2];
        System.out.println("[garbage] render callback thread: median " + median + " bytes per rendered frame (min "
            + deltas[0] + ", max " + deltas[deltas.length - 1] + ") after 60 frames of warm-up");
        // JavaCPP's callback glue wraps each native argument (otc_subscriber, void*, otc_video_frame)
        // in a new Pointer object per call; nothing else may be allocated per frame.
        assertThat(median).as("bytes per rendered frame").isLessThanOrEqualTo(3 * 64);
      }
    }
  }
}
