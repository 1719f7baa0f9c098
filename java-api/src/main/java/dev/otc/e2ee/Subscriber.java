package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_media_frame;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.bindings.otc.otc_subscriber;
import dev.otc.e2ee.bindings.otc.otc_subscriber_callbacks;
import dev.otc.e2ee.bindings.otc.otc_subscriber_stats;
import dev.otc.e2ee.internal.NativeRef;
import dev.otc.e2ee.internal.NativeStatus;
import dev.otc.e2ee.internal.session.EventDispatcher;
import dev.otc.e2ee.internal.session.Registration;
import dev.otc.e2ee.internal.session.SubscriberCallbacks;
import dev.otc.e2ee.media.DecoderStats;
import dev.otc.e2ee.internal.media.RenderBridge;
import dev.otc.e2ee.media.VideoRenderer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Receives one stream's frames, decrypted, through a {@link SubscriberListener}. Created by
 * {@link Session#subscribe(Stream, SubscriberListener)}; frames that cannot be decrypted are
 * never delivered (see {@link SubscriberListener#onError} and {@link #stats()}).
 *
 * <p>Closing the subscriber (or its session) ends the subscription; no event is delivered after
 * {@link #close()} returns, except one already running on another thread.
 */
public final class Subscriber implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.otc.e2ee.session");

  private final otc_subscriber handle;
  private final NativeRef guard;
  private final long callbackId;
  private final Session session;
  private final Stream stream;
  private final SubscriberListener listener;
  private final EventDispatcher dispatcher;
  private final int maxQueuedFrames;
  private final long maxQueuedBytes;
  private final AtomicInteger queuedFrames = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final LongAdder droppedByQueue = new LongAdder();
  private final Events events = new Events();
  /**
   * Payload storage reused frame after frame when events run on the SDK thread (frames are then
   * delivered one at a time, so the previous frame's callback has returned). Only touched there.
   */
  private byte[] reusable = new byte[0];
  /**
   * The route from the native render callback to the renderer (null without one). Only held: the
   * callback registry refers to it weakly, so this field is what keeps it alive exactly as long as
   * this subscriber. Set once in {@link #create}, before the subscription can deliver a frame.
   */
  @SuppressWarnings("unused")
  private Object renderRoute;

  private Subscriber(Session session, Stream stream, SubscriberListener listener, EventDispatcher dispatcher,
      int maxQueuedFrames, long maxQueuedBytes, otc_subscriber handle, long callbackId) {
    this.session = session;
    this.stream = stream;
    this.listener = listener;
    this.dispatcher = dispatcher;
    this.maxQueuedFrames = maxQueuedFrames;
    this.maxQueuedBytes = maxQueuedBytes;
    this.handle = handle;
    this.callbackId = callbackId;
    this.guard = new NativeRef(this, "Subscriber", freeing(handle, callbackId));
  }

  /** Creates the native subscriber (not yet subscribed); {@link Session#subscribe} does the rest. */
  static Subscriber create(Session session, Stream stream, SubscriberListener listener, EventDispatcher dispatcher,
      int maxQueuedFrames, long maxQueuedBytes, VideoRenderer renderer) {
    Registration<otc_subscriber_callbacks> reg = SubscriberCallbacks.reserve();
    try {
      if (renderer != null) {
        RenderBridge.install(reg.callbacks);
      }
      if (!overridesOnFrame(listener)) {
        // Nobody reads the encoded frames: no native-to-Java call (and no copy) per frame for them.
        reg.callbacks.on_frame(null);
      }
      otc_subscriber handle = stream.withHandle(h -> otc.otc_subscriber_new(h, reg.callbacks));
      if (handle == null || handle.isNull()) {
        throw new OtcException(ErrorCode.ERR_INVALID_PARAM, "the native library refused to create a subscriber for "
            + stream.id());
      }
      // No callback comes before otc_session_subscribe, so binding after creation loses nothing.
      Subscriber s = new Subscriber(session, stream, listener, dispatcher, maxQueuedFrames, maxQueuedBytes, handle,
          reg.id);
      SubscriberCallbacks.SINKS.bind(reg.id, s.events);
      if (renderer != null) {
        s.renderRoute = RenderBridge.bind(reg.id, s, renderer);
      }
      return s;
    } finally {
      reg.close();
    }
  }

  /** The native free of a subscriber; captures no Subscriber nor Session (NativeRef). */
  private static Runnable freeing(otc_subscriber handle, long callbackId) {
    return () -> {
      otc.otc_subscriber_delete(handle);
      SubscriberCallbacks.SINKS.unregister(callbackId);
      RenderBridge.unbind(callbackId);
    };
  }

  private static boolean overridesOnFrame(SubscriberListener listener) {
    try {
      return listener.getClass().getMethod("onFrame", Subscriber.class, MediaFrame.class).getDeclaringClass()
          != SubscriberListener.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true;
    }
  }

  otc_subscriber handle() {
    return handle;
  }

  NativeRef guard() {
    return guard;
  }

  /** The subscribed stream. */
  public Stream stream() {
    return stream;
  }

  public Session session() {
    return session;
  }

  /**
   * Asks the stream's publisher for a keyframe.
   *
   * @throws OtcException with {@link ErrorCode#ERR_INVALID_STATE} when not subscribed
   */
  public void requestKeyframe() {
    guard.run(this, () -> NativeStatus.check(otc.otc_subscriber_request_keyframe(handle), "requestKeyframe"));
  }

  /** Counters since creation. */
  public SubscriberStats stats() {
    return readStats(s -> new SubscriberStats(s.frames_received(), s.frames_decrypted(), s.frames_delivered(),
          s.failed_secret_mismatch(), s.failed_authentication(), s.failed_replayed(), s.failed_malformed(),
          s.failed_internal(), s.frames_held(), s.frames_recovered(), s.mismatch_events(), s.match_events(),
          s.keyframe_requests_sent(), droppedByQueue.sum(), s.failed_unencrypted(), s.frames_dropped_queue(),
          s.queued_bytes_max(), s.new_sender_derivations(), s.new_sender_refused()));
  }

  /** Counters of this subscriber's decoders since creation. */
  public DecoderStats decoderStats() {
    return readStats(s -> new DecoderStats(s.video_frames_decoded(), s.video_frames_rendered(),
        s.video_frames_skipped(), s.video_decode_errors(), s.audio_frames_decoded(),
        s.video_decode_time_us(), s.video_frames_dropped_render()));
  }

  /** One snapshot of the native counters, read into a value by {@code read}. */
  private <T> T readStats(Function<otc_subscriber_stats, T> read) {
    return guard.call(this, () -> {
      try (otc_subscriber_stats s = new otc_subscriber_stats()) {
        s.struct_size(s.sizeof());  // OTC_SUBSCRIBER_STATS_INIT
        NativeStatus.check(otc.otc_subscriber_get_stats(handle, s), "subscriber stats");
        return read.apply(s);
      }
    });
  }

  /**
   * Whether this subscriber decodes and renders the stream's video (default true). Frames still
   * arrive and are decrypted; when enabled again the decoder waits for a keyframe and asks for one.
   */
  public void subscribeToVideo(boolean subscribe) {
    guard.run(this, () -> NativeStatus.check(
        otc.otc_subscriber_set_subscribe_to_video(handle, subscribe ? 1 : 0), "subscribeToVideo"));
  }

  public boolean isClosed() {
    return guard.isClosed();
  }

  /** Unsubscribes and releases the native subscriber. Idempotent; safe from inside any listener. */
  @Override
  public void close() {
    guard.close();
    session.forget(this);
  }

  @Override
  public String toString() {
    return "Subscriber[stream=" + stream.id() + (guard.isClosed() ? ", closed" : "") + "]";
  }

  private final class Events implements SubscriberCallbacks.Sink {
    @Override
    public void connected(otc_stream s) {
      dispatch(() -> listener.onConnected(Subscriber.this));
    }

    @Override
    public void disconnected() {
      dispatch(() -> listener.onDisconnected(Subscriber.this));
    }

    @Override
    public void frame(otc_media_frame f) {
      if (guard.isClosed()) {
        return;
      }
      Codec codec = Codec.fromCode(f.codec()).orElse(null);
      if (codec == null) {
        LOG.log(System.Logger.Level.WARNING, "frame with unknown codec {0} on stream {1} ignored", f.codec(), stream.id());
        return;
      }
      boolean inline = dispatcher.isInline();
      int size = (int) f.size();
      // Copies waiting for the application's executor are bounded in frames and bytes.
      if (!inline && (queuedFrames.get() >= maxQueuedFrames || queuedBytes.get() + size > maxQueuedBytes)) {
        droppedByQueue.increment();
        return;
      }
      // The only read of native frame memory: whatever happens next works on this Java copy.
      byte[] storage = inline ? reusable(size) : new byte[size];
      if (size > 0) {
        f.data().get(storage, 0, size);
      }
      MediaFrame frame = MediaFrame.received(codec, f.keyframe() != 0, f.timestamp_us(),
          Integer.toUnsignedLong(f.sequence()), f.spatial_layer(), f.temporal_layer(),
          ByteBuffer.wrap(storage, 0, size).slice());
      if (inline) {
        dispatcher.dispatch(() -> listener.onFrame(Subscriber.this, frame));
        return;
      }
      queuedFrames.incrementAndGet();
      queuedBytes.addAndGet(size);
      boolean queued = dispatcher.dispatch(() -> {
        queuedFrames.decrementAndGet();
        queuedBytes.addAndGet(-size);
        if (!guard.isClosed()) {
          listener.onFrame(Subscriber.this, frame);
        }
      });
      if (!queued) {
        queuedFrames.decrementAndGet();
        queuedBytes.addAndGet(-size);
      }
    }

    private byte[] reusable(int size) {
      if (reusable.length < size) {
        reusable = new byte[Math.max(size, reusable.length * 2)];
      }
      return reusable;
    }

    @Override
    public void error(String message, int code) {
      OtcException error = Session.callbackError(code, message);
      dispatch(() -> listener.onError(Subscriber.this, error));
    }

    @Override
    public void encryptionSecretMatch() {
      dispatch(() -> listener.onEncryptionSecretMatch(Subscriber.this));
    }

    private void dispatch(Runnable event) {
      dispatcher.dispatch(() -> {
        if (!guard.isClosed()) {
          event.run();
        }
      });
    }
  }
}
