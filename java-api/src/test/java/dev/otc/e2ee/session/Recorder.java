package dev.otc.e2ee.session;

import static org.awaitility.Awaitility.await;

import dev.otc.e2ee.Connection;
import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import dev.otc.e2ee.PublisherListener;
import dev.otc.e2ee.Session;
import dev.otc.e2ee.SessionListener;
import dev.otc.e2ee.Stream;
import dev.otc.e2ee.Subscriber;
import dev.otc.e2ee.SubscriberListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Records every event of one participant (session, its publisher, its subscribers) for
 * assertions. Thread-safe; every wait is bounded.
 */
class Recorder implements SessionListener, PublisherListener, SubscriberListener {
  static final Duration WAIT = Duration.ofSeconds(15);

  /** Event names in arrival order, e.g. "session.connected", "subscriber.error:6003". */
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<Stream> streamsReceived = new CopyOnWriteArrayList<>();
  final List<Stream> streamsDropped = new CopyOnWriteArrayList<>();
  final List<Connection> connectionsCreated = new CopyOnWriteArrayList<>();
  final List<OtcException> sessionErrors = new CopyOnWriteArrayList<>();
  final List<OtcException> publisherErrors = new CopyOnWriteArrayList<>();
  final List<OtcException> subscriberErrors = new CopyOnWriteArrayList<>();
  final List<String> signals = new CopyOnWriteArrayList<>();
  final AtomicInteger sessionConnected = new AtomicInteger();
  final AtomicInteger sessionDisconnected = new AtomicInteger();
  final AtomicInteger reconnectionStarted = new AtomicInteger();
  final AtomicInteger reconnected = new AtomicInteger();
  final AtomicInteger streamsCreated = new AtomicInteger();
  final AtomicInteger streamsDestroyed = new AtomicInteger();
  final AtomicInteger keyframeRequests = new AtomicInteger();
  final AtomicInteger subscriberConnected = new AtomicInteger();
  final AtomicInteger subscriberDisconnected = new AtomicInteger();
  final AtomicInteger matches = new AtomicInteger();
  final AtomicInteger frames = new AtomicInteger();
  /** Per stream id: the payload counters (see {@link FramePump}) in arrival order. */
  final Map<String, List<Long>> countersByStream = new ConcurrentHashMap<>();
  /** Per stream id: last frame (copied). */
  final Map<String, MediaFrame> lastFrame = new ConcurrentHashMap<>();
  volatile Stream publishedStream;

  /** One more of an event with no arguments to keep: its counter and its place in {@link #log}. */
  private void event(AtomicInteger counter, String name) {
    counter.incrementAndGet();
    log.add(name);
  }

  // Session
  @Override
  public void onConnected(Session session) {
    event(sessionConnected, "session.connected");
  }

  @Override
  public void onDisconnected(Session session) {
    event(sessionDisconnected, "session.disconnected");
  }

  @Override
  public void onReconnectionStarted(Session session) {
    event(reconnectionStarted, "session.reconnectionStarted");
  }

  @Override
  public void onReconnected(Session session) {
    event(reconnected, "session.reconnected");
  }

  @Override
  public void onConnectionCreated(Session session, Connection connection) {
    connectionsCreated.add(connection);
    log.add("session.connectionCreated");
  }

  @Override
  public void onConnectionDropped(Session session, Connection connection, Connection.DropReason reason) {
    log.add("session.connectionDropped:" + reason);
  }

  @Override
  public void onStreamReceived(Session session, Stream stream) {
    streamsReceived.add(stream);
    log.add("session.streamReceived");
  }

  @Override
  public void onStreamDropped(Session session, Stream stream, Stream.DropReason reason) {
    streamsDropped.add(stream);
    log.add("session.streamDropped:" + reason);
  }

  @Override
  public void onSignalReceived(Session session, String type, String data, Connection from) {
    signals.add(type + "=" + data);
    log.add("session.signal");
  }

  @Override
  public void onError(Session session, OtcException error) {
    sessionErrors.add(error);
    log.add("session.error:" + error.nativeCode());
  }

  // Publisher
  @Override
  public void onStreamCreated(Publisher publisher, Stream stream) {
    publishedStream = stream;
    streamsCreated.incrementAndGet();
    log.add("publisher.streamCreated");
  }

  @Override
  public void onStreamDestroyed(Publisher publisher, Stream stream) {
    event(streamsDestroyed, "publisher.streamDestroyed");
  }

  @Override
  public void onError(Publisher publisher, OtcException error) {
    publisherErrors.add(error);
    log.add("publisher.error:" + error.nativeCode());
  }

  @Override
  public void onKeyframeRequested(Publisher publisher) {
    event(keyframeRequests, "publisher.keyframeRequested");
  }

  // Subscriber
  @Override
  public void onConnected(Subscriber subscriber) {
    event(subscriberConnected, "subscriber.connected");
  }

  @Override
  public void onDisconnected(Subscriber subscriber) {
    event(subscriberDisconnected, "subscriber.disconnected");
  }

  @Override
  public void onFrame(Subscriber subscriber, MediaFrame frame) {
    frames.incrementAndGet();
    String streamId = subscriber.stream().id();
    countersByStream.computeIfAbsent(streamId, k -> Collections.synchronizedList(new ArrayList<>()))
        .add(FramePump.counterOf(frame));
    lastFrame.put(streamId, frame.copy());
  }

  @Override
  public void onError(Subscriber subscriber, OtcException error) {
    subscriberErrors.add(error);
    log.add("subscriber.error:" + error.nativeCode());
  }

  @Override
  public void onEncryptionSecretMatch(Subscriber subscriber) {
    event(matches, "subscriber.match");
  }

  long count(String event) {
    return log.stream().filter(event::equals).count();
  }

  long subscriberErrors(ErrorCode code) {
    return subscriberErrors.stream().filter(e -> e.errorCode() == code).count();
  }

  List<Long> counters(String streamId) {
    List<Long> l = countersByStream.get(streamId);
    if (l == null) {
      return List.of();
    }
    synchronized (l) {
      return new ArrayList<>(l);
    }
  }

  static void waitUntil(String what, BooleanSupplier condition) {
    waitUntil(what, WAIT, condition);
  }

  static void waitUntil(String what, Duration atMost, BooleanSupplier condition) {
    await(what).atMost(atMost).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
  }

  static String text(MediaFrame frame) {
    return new String(frame.payloadBytes(), StandardCharsets.UTF_8);
  }
}
