package dev.otc.e2ee.media;

import static org.awaitility.Awaitility.await;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.PublisherListener;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import dev.otc.e2ee.router.MediaRouter;
import dev.otc.e2ee.router.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One E2EE publisher with a {@link PatternCapturer} and one subscriber with a {@link Recorder}
 * renderer, in two sessions of the real embedded router on loopback.
 */
final class MediaRig implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  final MediaRouter router;
  final String sessionId;
  final PatternCapturer capturer;
  final Recorder recorder;
  final Session publisherSession;
  final Session subscriberSession;
  final Publisher publisher;
  volatile Subscriber subscriber;
  final AtomicReference<Stream> received = new AtomicReference<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();

  MediaRig(MediaRouter router, Codec codec, int width, int height, String publisherSecret, String subscriberSecret) {
    this(router, codec, width, height, publisherSecret, subscriberSecret, null);
  }

  /** With {@code renderer} instead of the {@link Recorder} (then unused) when not null. */
  MediaRig(MediaRouter router, Codec codec, int width, int height, String publisherSecret, String subscriberSecret,
      VideoRenderer renderer) {
    this.router = router;
    this.sessionId = router.createSession(true);
    this.capturer = new PatternCapturer(width, height);
    this.recorder = new Recorder(width, height);
    this.publisher = Publisher.builder().name("pattern").videoCodec(codec).hasAudio(false).videoBitrate(800_000)
        .videoCapturer(capturer).listener(new PublisherListener() {
          @Override
          public void onError(Publisher p, dev.otc.e2ee.OtcException error) {
            errors.add(error);
          }
        }).build();
    this.publisherSession = session("pub", publisherSecret, new SessionListener() {});
    this.subscriberSession = session("sub", subscriberSecret, new SessionListener() {
      @Override
      public void onStreamReceived(Session session, Stream stream) {
        received.set(stream);
      }
    });
    await().atMost(WAIT).until(() -> publisherSession.isConnected() && subscriberSession.isConnected());
    publisherSession.publish(publisher);
    await().atMost(WAIT).until(() -> received.get() != null);
    AtomicInteger connected = new AtomicInteger();
    subscriber = subscriberSession.subscribe(received.get(), new SubscriberListener() {
      @Override
      public void onConnected(Subscriber s) {
        connected.incrementAndGet();
      }
    }, renderer != null ? renderer : recorder);
    await().atMost(WAIT).until(() -> connected.get() == 1 && capturer.started.get() >= 1);
  }

  private Session session(String name, String secret, SessionListener listener) {
    Session s = Session.builder().applicationId(router.applicationId()).sessionId(sessionId)
        .routerUrl(router.mediaUrl()).encryptionSecret(secret).connectTimeout(Duration.ofSeconds(10))
        .listener(listener).build();
    s.connect(router.generateClientToken(sessionId, Role.PUBLISHER, Duration.ofMinutes(10), "name=" + name));
    return s;
  }

  /**
   * Captures frames {@code from .. to-1} from the calling thread, each after the encoder took the
   * previous one (so none is dropped for a busy encoder on a loaded machine).
   */
  void captureEncoded(int from, int to) {
    for (int n = from; n < to; n++) {
      capturer.capture(n);
      long want = n + 1;
      await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> {
        EncoderStats s = publisher.encoderStats();
        return s.videoFramesEncoded() + s.videoFramesDroppedCapture() >= want;
      });
    }
  }

  /**
   * Captures frames {@code from .. to-1}, each once the previous one was rendered: the pace of a
   * camera slower than the pipeline, so no frame may be dropped for a renderer or decoder that is
   * behind, and a frame that does not arrive fails with every counter along the way.
   */
  void captureRendered(int from, int to) {
    for (int n = from; n < to; n++) {
      int want = recorder.rendered() + 1;
      capturer.capture(n);
      awaitRendered(want);
    }
  }

  /** Waits until {@code count} frames were rendered; on timeout, fails naming where frames stopped. */
  void awaitRendered(int count) {
    try {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> recorder.rendered() >= count);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("rendered " + recorder.rendered() + " of " + count + " frames; " + describe(), e);
    }
  }

  /** Every counter from capture to render, for a failure message (no secrets in any of them). */
  String describe() {
    StringBuilder b = new StringBuilder();
    try {
      b.append("publisher ").append(publisher.encoderStats()).append(' ').append(publisher.stats());
    } catch (IllegalStateException closed) {
      b.append("publisher closed");
    }
    Subscriber s = subscriber;
    try {
      b.append("; subscriber ").append(s.decoderStats()).append(' ').append(s.stats());
    } catch (IllegalStateException | NullPointerException closed) {
      b.append("; subscriber closed");
    }
    return b.append("; errors ").append(errors).toString();
  }

  @Override
  public void close() {
    subscriberSession.close();
    publisherSession.close();
    publisher.close();
  }
}
