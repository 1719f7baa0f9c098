package dev.otc.e2ee.session;

import static dev.otc.e2ee.session.Recorder.waitUntil;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One client of a test: a session with a recorder, optionally a publisher and subscribers. */
final class Participant implements AutoCloseable {
  final String name;
  final Recorder rec = new Recorder();
  final Session session;
  final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  Publisher publisher;

  Participant(TestRouter router, String sessionId, String name, String secret, Duration grace) {
    this(router, router.router.mediaUrl(), sessionId, name, secret, grace);
  }

  /** Connects to {@code mediaUrl} (e.g. a {@link HostileRouter} in front of {@code router}). */
  Participant(TestRouter router, String mediaUrl, String sessionId, String name, String secret, Duration grace) {
    this.name = name;
    Session.Builder b = router.session(sessionId, rec).routerUrl(mediaUrl);
    if (secret != null) {
      b.encryptionSecret(secret);
    }
    if (grace != null) {
      b.gracePeriod(grace);
    }
    this.session = b.build();
    session.connect(router.token(sessionId));
    waitUntil(name + " connected", () -> rec.sessionConnected.get() == 1 || !rec.sessionErrors.isEmpty());
    if (!rec.sessionErrors.isEmpty()) {
      throw rec.sessionErrors.get(0);
    }
  }

  /** Publishes a video stream and waits until the router created it. */
  Stream publish(Codec codec) {
    publisher = Publisher.builder().name(name).videoCodec(codec).hasAudio(false).listener(rec).build();
    session.publish(publisher);
    waitUntil(name + " stream created", () -> rec.publishedStream != null || !rec.publisherErrors.isEmpty());
    if (!rec.publisherErrors.isEmpty()) {
      throw rec.publisherErrors.get(0);
    }
    return rec.publishedStream;
  }

  /** The stream published by {@code publisherName}, once this participant has been told about it. */
  Stream streamOf(String publisherName) {
    waitUntil(name + " sees stream of " + publisherName,
        () -> rec.streamsReceived.stream().anyMatch(s -> s.name().equals(publisherName)));
    return rec.streamsReceived.stream().filter(s -> s.name().equals(publisherName)).findFirst().orElseThrow();
  }

  /** Subscribes and waits for onConnected. */
  Subscriber subscribe(Stream stream) {
    int before = rec.subscriberConnected.get();
    Subscriber s = session.subscribe(stream, rec);
    subscribers.add(s);
    waitUntil(name + " subscribed to " + stream.name(), () -> rec.subscriberConnected.get() > before);
    return s;
  }

  @Override
  public void close() {
    for (Subscriber s : subscribers) {
      s.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    session.close();
  }
}
