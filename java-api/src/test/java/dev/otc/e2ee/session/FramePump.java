package dev.otc.e2ee.session;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.MediaType;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.Publisher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends frames at a fixed rate from its own thread. Payload: {@code "<label>|<counter>|"} then
 * filler, so a receiver can check order, loss and content; the counter starts at 0.
 */
final class FramePump implements AutoCloseable {
  private final Publisher publisher;
  private final Codec codec;
  private final String label;
  private final int size;
  private final int keyframeEvery;
  private final ScheduledExecutorService timer;
  private final AtomicLong counter = new AtomicLong();
  private final AtomicBoolean keyframeNext = new AtomicBoolean(true);
  final List<OtcException> sendErrors = new CopyOnWriteArrayList<>();

  FramePump(Publisher publisher, Codec codec, String label, int size, int fps) {
    this(publisher, codec, label, size, fps, 30);
  }

  /** {@code keyframeEvery}: a new subscriber receives video from the next keyframe on. */
  FramePump(Publisher publisher, Codec codec, String label, int size, int fps, int keyframeEvery) {
    this.keyframeEvery = keyframeEvery;
    this.publisher = publisher;
    this.codec = codec;
    this.label = label;
    this.size = size;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pump-" + label);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::sendOne, 0, 1_000_000 / fps, TimeUnit.MICROSECONDS);
  }

  static byte[] payload(String label, long n, int size) {
    byte[] head = (label + "|" + n + "|").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[Math.max(size, head.length)];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = head.length; i < out.length; i++) {
      out[i] = (byte) ('a' + (n + i) % 26);
    }
    return out;
  }

  static long counterOf(MediaFrame frame) {
    String s = new String(frame.payloadBytes(), 0, Math.min(frame.size(), 64), StandardCharsets.US_ASCII);
    String[] parts = s.split("\\|", 3);
    return parts.length < 3 ? -1 : Long.parseLong(parts[1]);
  }

  private void sendOne() {
    long n = counter.get();
    try {
      MediaFrame frame = codec.mediaType() == MediaType.VIDEO
          ? MediaFrame.video(codec, keyframeNext.getAndSet(false) || n % keyframeEvery == 0, n * 33_333, payload(label, n, size))
          : MediaFrame.audio(codec, n * 20_000, payload(label, n, size));
      publisher.sendFrame(frame);
      counter.incrementAndGet();
    } catch (OtcException e) {
      sendErrors.add(e);
    } catch (RuntimeException e) {
      // Closed publisher at the end of a test: stop quietly.
      timer.shutdown();
    }
  }

  void requestKeyframe() {
    keyframeNext.set(true);
  }

  /** Frames accepted by sendFrame so far. */
  long sent() {
    return counter.get();
  }

  /** Stops sending; returns the number of frames sent. */
  long stop() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("pump " + label + " did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping pump " + label, e);
    }
    return counter.get();
  }

  @Override
  public void close() {
    stop();
  }
}
