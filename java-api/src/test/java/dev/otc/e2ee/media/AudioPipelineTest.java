package dev.otc.e2ee.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tone through the custom audio device: written by an application capture thread, Opus-encoded,
 * encrypted, forwarded by the embedded router, decrypted, decoded and read back by an application
 * render thread. SNR bound: 20 dB against the best-fitting ideal tone (as the native Opus test).
 */
@Timeout(300)
class AudioPipelineTest {
  private static final String SECRET = "audio pipeline secret, long enough";
  private static final double TONE_HZ = 440;

  /** Counts its callbacks; capture/render flags for the application threads. */
  static final class Device implements AudioDevice {
    final AtomicInteger inits = new AtomicInteger();
    final AtomicInteger destroys = new AtomicInteger();
    final AtomicBoolean capturing = new AtomicBoolean();
    final AtomicBoolean rendering = new AtomicBoolean();

    @Override
    public boolean init() {
      inits.incrementAndGet();
      return true;
    }

    @Override
    public void destroy() {
      destroys.incrementAndGet();
    }

    @Override
    public boolean startCapturer() {
      capturing.set(true);
      return true;
    }

    @Override
    public void stopCapturer() {
      capturing.set(false);
    }

    @Override
    public boolean startRenderer() {
      rendering.set(true);
      return true;
    }

    @Override
    public void stopRenderer() {
      rendering.set(false);
    }
  }

  @Test
  void toneArrivesAbove20dBAndEverythingClosesInAnyOrder() throws Exception {
    Device device = new Device();
    Audio.setDevice(device);
    assertThat(device.inits.get()).isEqualTo(1);
    try (MediaRouter router = MediaRouter.builder().ioThreads(2).start()) {
      String sessionId = router.createSession(true);
      AtomicReference<Stream> stream = new AtomicReference<>();
      Session pub = session(router, sessionId, new SessionListener() {});
      Session sub = session(router, sessionId, new SessionListener() {
        @Override
        public void onStreamReceived(Session s, Stream st) {
          stream.set(st);
        }
      });
      Publisher publisher = Publisher.builder().name("tone").hasVideo(false).build();
      await().atMost(Duration.ofSeconds(60)).until(() -> pub.isConnected() && sub.isConnected());
      pub.publish(publisher);
      await().atMost(Duration.ofSeconds(60)).until(() -> stream.get() != null && device.capturing.get());
      Subscriber subscriber = sub.subscribe(stream.get(), new SubscriberListener() {});
      await().atMost(Duration.ofSeconds(60)).until(device.rendering::get);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicReference<Throwable> captureEnd = new AtomicReference<>();
      Thread capture = new Thread(() -> {
        TestTone tone = new TestTone(TONE_HZ, 0.5);
        ShortBuffer chunk = directShorts(960); // 20 ms
        long start = System.nanoTime();
        long written = 0;
        try {
          while (running.get()) {
            // Write what the wall clock says is due: a steady 48 kHz whatever the sleeps do.
            long due = (System.nanoTime() - start) * 48 / 1_000_000;
            while (written + 960 <= due + 960) {
              tone.fill(chunk);
              Audio.writeCaptureData(chunk, 1);
              written += 960;
            }
            Thread.sleep(5);
          }
        } catch (Throwable t) {
          captureEnd.set(t);
        }
      }, "app-audio-capture");
      short[] received = new short[48_000 * 4];
      AtomicInteger receivedCount = new AtomicInteger();
      Thread render = new Thread(() -> {
        ShortBuffer out = directShorts(4800);
        while (running.get() && receivedCount.get() < received.length) {
          int n = Audio.readRenderData(out, 1);
          int at = receivedCount.get();
          int take = Math.min(n, received.length - at);
          for (int i = 0; i < take; i++) {
            received[at + i] = out.get(i);
          }
          receivedCount.addAndGet(take);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "app-audio-render");
      capture.start();
      render.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedCount.get() >= 48_000 * 2);
        assertThat(subscriber.decoderStats().audioFramesDecoded()).isGreaterThan(50);
        assertThat(publisher.encoderStats().audioFramesEncoded()).isGreaterThan(50);
        // Skip the first second (decoder start, buffering), then 0.5 s windows.
        double worst = Double.MAX_VALUE;
        for (int from = 48_000; from + 24_000 <= receivedCount.get(); from += 24_000) {
          worst = Math.min(worst, TestTone.snr(received, from, 24_000, TONE_HZ));
        }
        assertThat(worst).as("Opus tone SNR (dB) after the first second").isGreaterThanOrEqualTo(20.0);
        // Close in a different order than opened, with the application threads still running.
        publisher.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> !device.capturing.get());
        await().atMost(Duration.ofSeconds(60)).until(() -> captureEnd.get() != null);
        assertThat(captureEnd.get()).as("writing after the capturer stopped").isInstanceOf(OtcException.class);
        assertThat(((OtcException) captureEnd.get()).errorCode()).isEqualTo(ErrorCode.ERR_INVALID_STATE);
        sub.close();
        pub.close();
      } finally {
        running.set(false);
        capture.join();
        render.join();
      }
    } finally {
      Audio.setDevice(null);
    }
    assertThat(device.destroys.get()).isEqualTo(1);
    assertThat(Audio.device()).isNull();
    assertThatThrownBy(() -> Audio.writeCaptureData(ShortBuffer.allocate(960), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct");
    assertThat(Audio.readRenderData(directShorts(960), 1)).as("no device: nothing to read").isZero();
  }

  @Test
  void aDeviceThatRefusesInitIsNotSet() {
    AudioDevice refusing = new AudioDevice() {
      @Override
      public boolean init() {
        return false;
      }
    };
    assertThatThrownBy(() -> Audio.setDevice(refusing)).isInstanceOf(OtcException.class);
    assertThat(Audio.device()).isNull();
  }

  private static ShortBuffer directShorts(int n) {
    return ByteBuffer.allocateDirect(2 * n).order(ByteOrder.nativeOrder()).asShortBuffer();
  }

  private static Session session(MediaRouter router, String sessionId, SessionListener listener) {
    Session s = Session.builder().applicationId(router.applicationId()).sessionId(sessionId)
        .routerUrl(router.mediaUrl()).encryptionSecret(SECRET).listener(listener).build();
    s.connect(router.generateClientToken(sessionId, Role.PUBLISHER, Duration.ofMinutes(10), ""));
    return s;
  }
}
