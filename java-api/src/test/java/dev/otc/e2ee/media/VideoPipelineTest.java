package dev.otc.e2ee.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Collector;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.media.CapturerBridge;
import dev.otc.e2ee.router.MediaRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw video from Java to Java through the real pipeline: a Java capturer's frames are converted,
 * encoded, encrypted, forwarded by the embedded router, decrypted, decoded and handed to a Java
 * renderer as zero-copy views.
 */
@Timeout(300)
class VideoPipelineTest {
  private static final int W = 320;
  private static final int H = 180;
  private static final String SECRET = "video pipeline secret, long enough";
  private static MediaRouter router;

  @BeforeAll
  static void startRouter() {
    router = MediaRouter.builder().ioThreads(2).start();
  }

  @AfterAll
  static void stopRouter() {
    router.close();
  }

  @ParameterizedTest
  @EnumSource(value = Codec.class, names = {"VP8", "VP9", "H264"})
  void capturedPatternIsRenderedInOrderAbove30dB(Codec codec) {
    int frames = 40;
    try (MediaRig rig = new MediaRig(router, codec, W, H, SECRET, SECRET)) {
      rig.captureRendered(0, frames);

      assertThat(rig.recorder.counters).as("every frame rendered once, in capture order")
          .containsExactlyElementsOf(IntStream.range(0, frames).boxed().toList());
      double worst = rig.recorder.psnr.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      assertThat(worst).as(codec + " worst PSNR (dB)").isGreaterThanOrEqualTo(30.0);
      assertThat(rig.publisher.encoderStats().videoFramesDroppedCapture()).isZero();
      assertThat(rig.publisher.encoderStats().videoKeyframesEncoded()).isGreaterThanOrEqualTo(1);
      DecoderStats d = rig.subscriber.decoderStats();
      assertThat(d.videoFramesRendered()).isEqualTo(frames);
      assertThat(d.videoDecodeErrors()).isZero();
      assertThat(d.videoFramesSkipped()).isZero();
      assertThat(d.videoFramesDroppedRender()).isZero();
      // Codec time is counted per call: at least a microsecond per frame at this size.
      assertThat(rig.publisher.encoderStats().videoEncodeTimeUs()).isGreaterThanOrEqualTo(frames);
      assertThat(d.videoDecodeTimeUs()).isGreaterThanOrEqualTo(frames);
      // Rendering reuses one VideoFrame view per subscriber. (Its plane buffers are cached by native
      // address, so their reuse depends on the allocator; GarbageTest measures what rendering allocates.)
      assertThat(rig.recorder.frameObjects).as("VideoFrame objects passed to the renderer").hasSize(1);
      assertThat(rig.recorder.threads.get(0)).as("renderer thread").isNotEqualTo(Thread.currentThread().getName());
      assertThat(rig.errors).isEmpty();
    }
  }

  @Test
  void renderingGoesOnAfterAGarbageCollection() throws InterruptedException {
    try (MediaRig rig = new MediaRig(router, Codec.VP8, W, H, SECRET, SECRET)) {
      // The application holds the subscriber and its renderer, nothing of the SDK's route from the
      // native callback to them: a collection before the first frame must not cut that route.
      Collector.collectWeaklyReachable();
      rig.captureRendered(0, 3);
      assertThat(rig.recorder.counters).containsExactly(0, 1, 2);
      Collector.collectWeaklyReachable();
      rig.captureRendered(3, 5);
      assertThat(rig.recorder.counters).containsExactly(0, 1, 2, 3, 4);
    }
  }

  @Test
  void aRendererThatFallsBehindLosesPicturesNotTheStream() {
    int burst = 20; // fewer than the decoder's queue holds: every frame is decoded
    int waiting = otc.OTC_SUBSCRIBER_MAX_PENDING_PICTURES;
    try (MediaRig rig = new MediaRig(router, Codec.VP8, W, H, SECRET, SECRET)) {
      try {
        // The renderer is stuck in frame 0 while the rest of the burst arrives (held renders, not
        // timed ones: the outcome is the same however fast this machine is).
        rig.recorder.setPermits(0);
        rig.captureEncoded(0, 1);
        await().atMost(MediaRig.WAIT).until(() -> rig.recorder.entered.get() == 1);
        rig.captureEncoded(1, burst);
        await().atMost(MediaRig.WAIT).until(() -> rig.subscriber.stats().framesDecrypted() == burst);
        // Frame 0's render returns and the next one is stuck again: the rest is decoded behind it.
        rig.recorder.setPermits(1);
        await().atMost(MediaRig.WAIT).until(() -> rig.recorder.entered.get() == 2
            && rig.subscriber.decoderStats().videoFramesDecoded() == burst);
      } finally {
        rig.recorder.setPermits(Recorder.UNLIMITED);
      }
      // Each picture is now either rendered or dropped (counted just after the decode, so waited for).
      await().atMost(MediaRig.WAIT).until(
          () -> rig.recorder.rendered() + rig.subscriber.decoderStats().videoFramesDroppedRender() == burst);
      // 19 pictures after frame 0: one in the stuck call, `waiting` waiting (one fewer when the
      // stuck call took one of the newest), the rest dropped.
      assertThat(rig.subscriber.decoderStats().videoFramesDroppedRender()).as("pictures dropped for the stuck renderer")
          .isBetween((long) (burst - 2 - waiting), (long) (burst - 1 - waiting));
      DecoderStats d = rig.subscriber.decoderStats();
      assertThat(d.videoFramesSkipped()).as("frames the decoder skipped").isZero();
      assertThat(d.videoFramesRendered()).isEqualTo(rig.recorder.rendered());
      List<Integer> newest = IntStream.range(burst - waiting, burst).boxed().toList();
      assertThat(rig.recorder.counters).as("rendered frames")
          .isSorted().doesNotHaveDuplicates().startsWith(0).endsWith(newest.toArray(Integer[]::new));

      // The renderer catches up: the next frames decode from the same state and are all rendered.
      rig.captureRendered(burst, burst + 5);
      List<Integer> all = rig.recorder.counters;
      assertThat(all.subList(all.size() - 5, all.size())).containsExactly(20, 21, 22, 23, 24);
      assertThat(rig.recorder.psnr.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
          .as("no corrupt picture after the drops").isGreaterThanOrEqualTo(30.0);
      assertThat(rig.subscriber.decoderStats().videoFramesSkipped()).isZero();
      assertThat(rig.subscriber.stats().keyframeRequestsSent()).as("keyframe requests: none needed").isZero();
    }
  }

  @Test
  void mismatchRendersNothingAndMatchRendersAgain() throws Exception {
    try (MediaRig rig = new MediaRig(router, Codec.VP8, W, H, SECRET, "a different secret, long enough")) {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // The application's own capture thread, at about 30 fps.
      Thread camera = new Thread(() -> {
        try {
          for (int n = 0; running.get(); n++) {
            rig.capturer.capture(n);
            Thread.sleep(33);
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "app-camera");
      camera.start();
      try {
        await().atMost(MediaRig.WAIT).until(() -> rig.subscriber.stats().framesReceived() >= 20);
        assertThat(rig.recorder.rendered()).as("rendered under a mismatched secret").isZero();
        assertThat(rig.subscriber.decoderStats().videoFramesDecoded()).as("decoded under a mismatch").isZero();
        assertThat(rig.subscriber.decoderStats().videoDecodeTimeUs()).as("decoder time under a mismatch").isZero();

        rig.subscriberSession.setEncryptionSecret(SECRET);
        await().atMost(MediaRig.WAIT).until(() -> rig.recorder.rendered() >= 5);
        List<Integer> seen = new ArrayList<>(rig.recorder.counters);
        assertThat(seen).as("increasing frame numbers after the match").isSorted().doesNotHaveDuplicates();
        assertThat(rig.recorder.psnr.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
            .as("no corrupt picture after the match").isGreaterThanOrEqualTo(30.0);
      } finally {
        running.set(false);
        camera.join();
      }
      assertThat(failure.get()).isNull();
    }
  }

  @Test
  void renderedFramesAreViewsValidOnlyDuringTheCallback() {
    try (MediaRig rig = new MediaRig(router, Codec.VP8, W, H, SECRET, SECRET)) {
      // Frames keep coming until three were rendered, as from a camera: if a keyframe or its request
      // is lost on a loaded machine, the receiver asks again while deltas arrive (video_receive).
      int[] next = {0};
      await().atMost(MediaRig.WAIT).until(() -> {
        if (rig.recorder.rendered() < 3) {
          rig.captureEncoded(next[0], next[0] + 1);
          next[0]++;
        }
        return rig.recorder.rendered() >= 3;
      });
      // Then no frame in flight: the view is checked once its last callback has returned.
      int[] seen = {-1};
      await().atMost(MediaRig.WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
        int now = rig.recorder.rendered();
        boolean settled = now == seen[0];
        seen[0] = now;
        return settled;
      });
      VideoFrame kept = rig.recorder.lastView;
      assertThat(kept.isRendered()).isTrue();
      assertThatThrownBy(kept::width).isInstanceOf(IllegalStateException.class).hasMessageContaining("copy()");
      assertThatThrownBy(() -> kept.plane(0)).isInstanceOf(IllegalStateException.class);
      assertThat(kept.toString()).contains("callback returned");
    }
  }

  @Test
  void closingThePublisherWhileAnAppThreadCapturesIsClean() throws Exception {
    int capturersBefore = CapturerBridge.liveCount();
    MediaRig rig = new MediaRig(router, Codec.VP9, W, H, SECRET, SECRET);
    AtomicReference<Throwable> ended = new AtomicReference<>();
    CountDownLatch capturing = new CountDownLatch(10);
    Thread camera = new Thread(() -> {
      try {
        for (int n = 0; ; n++) {
          rig.capturer.capture(n);
          capturing.countDown();
        }
      } catch (Throwable t) {
        ended.set(t);
      }
    }, "app-camera");
    camera.start();
    capturing.await();
    rig.publisher.close(); // while frames are being provided
    camera.join(MediaRig.WAIT.toMillis());
    assertThat(camera.isAlive()).isFalse();
    assertThat(ended.get()).as("the capture thread's next frame after close")
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(rig.capturer.calls).containsSubsequence("init", "settings", "start", "stop", "destroy");
    assertThat(rig.capturer.destroyed.get()).isEqualTo(1);
    assertThat(rig.capturer.stopped.get()).isEqualTo(1);
    assertThatThrownBy(() -> rig.capturer.capture(0)).isInstanceOf(IllegalStateException.class);
    // Sessions after the publisher, in either order, then everything again (idempotent).
    rig.publisherSession.close();
    rig.subscriberSession.close();
    rig.close();
    assertThat(CapturerBridge.liveCount()).as("capturer registrations left").isEqualTo(capturersBefore);
  }

  @Test
  void closingSessionsFirstThenThePublisher() {
    MediaRig rig = new MediaRig(router, Codec.H264, W, H, SECRET, SECRET);
    rig.captureEncoded(0, 5);
    await().atMost(MediaRig.WAIT).until(() -> rig.recorder.rendered() >= 1);
    rig.subscriberSession.close();
    rig.publisherSession.close();
    assertThat(rig.capturer.destroyed.get()).as("destroy waits for the publisher's close").isZero();
    rig.publisher.close();
    // stop comes with the session's close or, at the latest, with the publisher's; once, before destroy.
    assertThat(rig.capturer.stopped.get()).isEqualTo(1);
    assertThat(rig.capturer.destroyed.get()).isEqualTo(1);
    assertThat(rig.capturer.calls).endsWith("stop", "destroy");
    assertThatThrownBy(() -> rig.subscriber.decoderStats()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> rig.publisher.encoderStats()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void capturerThatRefusesInitFailsTheBuild() {
    int before = CapturerBridge.liveCount();
    VideoCapturer refusing = new VideoCapturer() {
      @Override
      public boolean init(VideoFrameSink sink) {
        return false;
      }

      @Override
      public CaptureSettings captureSettings() {
        return new CaptureSettings(VideoFormat.I420, 320, 180, 30);
      }
    };
    assertThatThrownBy(() -> dev.otc.e2ee.Publisher.builder().videoCapturer(refusing).build())
        .isInstanceOf(dev.otc.e2ee.OtcException.class).hasMessageContaining("capturer");
    VideoCapturer throwing = () -> {
      throw new IllegalStateException("no camera");
    };
    assertThatThrownBy(() -> dev.otc.e2ee.Publisher.builder().videoCapturer(throwing).build())
        .isInstanceOf(dev.otc.e2ee.OtcException.class);
    assertThat(CapturerBridge.liveCount()).isEqualTo(before);
  }
}
