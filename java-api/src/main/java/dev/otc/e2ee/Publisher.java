package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_media_frame;
import dev.otc.e2ee.bindings.otc.otc_publisher;
import dev.otc.e2ee.bindings.otc.otc_publisher_callbacks;
import dev.otc.e2ee.bindings.otc.otc_publisher_settings;
import dev.otc.e2ee.bindings.otc.otc_publisher_stats;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.bindings.otc.otc_video_capturer_callbacks;
import dev.otc.e2ee.internal.NativeLibrary;
import dev.otc.e2ee.internal.NativeRef;
import dev.otc.e2ee.internal.NativeStatus;
import dev.otc.e2ee.internal.session.EventDispatcher;
import dev.otc.e2ee.internal.session.PublisherCallbacks;
import dev.otc.e2ee.internal.session.Registration;
import dev.otc.e2ee.internal.session.Text;
import dev.otc.e2ee.internal.media.CapturerBridge;
import dev.otc.e2ee.media.EncoderStats;
import dev.otc.e2ee.media.VideoCapturer;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.bytedeco.javacpp.BytePointer;

/**
 * Publishes one stream of encoded frames that the application produces (the OpenTok SDK's
 * "compressed" frame path): build it, {@link Session#publish(Publisher) publish} it, wait for
 * {@link PublisherListener#onStreamCreated}, then push frames with {@link #sendFrame}. In an
 * E2EE session the SDK encrypts each frame on the calling thread before it leaves the process.
 *
 * <p>Threads: {@link #sendFrame} may be called from any thread; calls on one publisher are
 * serialised (frames are numbered and encrypted in call order). {@link #close()} may race with
 * sends: a send already running finishes, later ones throw {@link IllegalStateException}.
 * A publisher belongs to at most one session at a time and is closed by the application (closing
 * its session ends its stream but does not close it).
 */
public final class Publisher implements AutoCloseable {
  private final otc_publisher handle;
  private final NativeRef guard;
  private final long callbackId;
  private final String name;
  private final Codec videoCodec;
  private final Codec audioCodec;
  private final PublisherListener listener;
  /** The raw-video path (null: the application sends encoded frames itself). */
  private final CapturerBridge capturer;

  /** Native memory reused for every send (guarded by itself): one allocation per publisher, not per frame. */
  private final SendBuffers buffers = new SendBuffers();

  private final Events events = new Events();
  private volatile EventDispatcher dispatcher;
  private volatile Session session;
  private volatile Stream stream;

  private Publisher(Builder b, otc_publisher handle, long callbackId, CapturerBridge capturer) {
    this.handle = handle;
    this.callbackId = callbackId;
    this.name = b.name;
    this.videoCodec = b.video ? b.videoCodec : null;
    this.audioCodec = b.audio ? b.audioCodec : null;
    this.listener = b.listener;
    this.dispatcher = EventDispatcher.inline("Publisher[" + name + "]");
    this.capturer = capturer;
    Runnable free = freeing(handle, callbackId, buffers);
    if (capturer != null) {
      // With a capturer the native delete waits until no provideFrame is in flight any more.
      capturer.attach(free);
      this.guard = new NativeRef(this, "Publisher", capturer::close);
    } else {
      this.guard = new NativeRef(this, "Publisher", free);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The send buffers: separate from the Publisher, so that its free (NativeRef) need not capture it. */
  private static final class SendBuffers {
    final otc_media_frame frame = new otc_media_frame();
    BytePointer scratch;

    synchronized void close() {
      frame.close();
      if (scratch != null) {
        scratch.close();
        scratch = null;
      }
    }
  }

  /** The native free of a publisher; captures no Publisher (NativeRef). */
  private static Runnable freeing(otc_publisher handle, long callbackId, SendBuffers buffers) {
    return () -> {
      otc.otc_publisher_delete(handle);
      // Only now: otc_publisher_delete guarantees no callback starts after it returns.
      PublisherCallbacks.SINKS.unregister(callbackId);
      buffers.close();
    };
  }

  /** Where events went before a publish attempt, to restore if the native side refuses it. */
  record Attachment(Session session, EventDispatcher dispatcher) {}

  /** Called by {@link Session#publish} before the native publish, so the first event finds its dispatcher. */
  synchronized Attachment attach(Session owner, EventDispatcher events) {
    Attachment previous = new Attachment(session, dispatcher);
    this.session = owner;
    this.dispatcher = events;
    return previous;
  }

  synchronized void restore(Attachment previous) {
    this.session = previous.session();
    this.dispatcher = previous.dispatcher();
  }

  otc_publisher handle() {
    return handle;
  }

  NativeRef guard() {
    return guard;
  }

  /** The name subscribers see. */
  public String name() {
    return name;
  }

  /** Codec of the video track; empty without video. */
  public Optional<Codec> videoCodec() {
    return Optional.ofNullable(videoCodec);
  }

  /** Codec of the audio track; empty without audio. */
  public Optional<Codec> audioCodec() {
    return Optional.ofNullable(audioCodec);
  }

  /** The session this publisher was last published to. */
  public Optional<Session> session() {
    return Optional.ofNullable(session);
  }

  /** The published stream, once {@link PublisherListener#onStreamCreated} has been delivered. */
  public Optional<Stream> stream() {
    return Optional.ofNullable(stream);
  }

  /** Whether the stream exists at the router now (frames can be sent). */
  public boolean isPublishing() {
    guard.acquire();
    try {
      byte[] out = new byte[otc.OTC_SESSION_ID_MAX_BYTES + 1];
      return otc.otc_publisher_get_stream_id(handle, out, out.length) == otc.OTC_SUCCESS;
    } finally {
      guard.release(this);
    }
  }

  /**
   * Sends one encoded frame; its codec must be this publisher's codec of that media type.
   *
   * @throws OtcException {@link ErrorCode#ERR_INVALID_STATE} before the stream is created or after
   *     it ended; {@link ErrorCode#PUBLISHER_UNSUPPORTED_CODEC} for another codec;
   *     {@link ErrorCode#SESSION_ENCRYPTION_SECRET_MISSING}; {@link ErrorCode#PUBLISHER_ENCRYPTION_INTERNAL_ERROR}.
   *     These are created without a stack trace (they can happen at frame rate).
   * @throws IllegalArgumentException for a payload above {@code OTC_MEDIA_FRAME_MAX_SIZE}
   * @throws IllegalStateException if this publisher is closed
   */
  public void sendFrame(MediaFrame frame) {
    Objects.requireNonNull(frame, "frame");
    ByteBuffer payload = frame.payloadForSend();
    int size = payload.remaining();
    if (size > otc.OTC_MEDIA_FRAME_MAX_SIZE) {
      throw new IllegalArgumentException(
          "sendFrame: payload of " + size + " bytes exceeds " + otc.OTC_MEDIA_FRAME_MAX_SIZE);
    }
    guard.acquire();
    try {
      int status;
      synchronized (buffers) {
        BytePointer data = nativePayload(payload, size);
        try {
          buffers.frame.media_type(frame.mediaType().code())
              .codec(frame.codec().code())
              .keyframe(frame.isKeyframe() ? 1 : 0)
              .timestamp_us(frame.timestampUs())
              .sequence(0)
              .spatial_layer(frame.spatialLayer())
              .temporal_layer(frame.temporalLayer())
              .data(data)
              .size(size);
          status = otc.otc_publisher_send_frame(handle, buffers.frame);
        } finally {
          buffers.frame.data(null);
        }
      }
      if (status != otc.OTC_SUCCESS) {
        throw OtcException.frameOutcome(status, "sendFrame");
      }
    } finally {
      guard.release(this);
    }
  }

  /** The payload in native memory: a direct buffer as it is, anything else copied into the scratch buffer. */
  private BytePointer nativePayload(ByteBuffer payload, int size) {
    if (payload.isDirect()) {
      return new BytePointer(payload);
    }
    if (buffers.scratch == null || buffers.scratch.capacity() < size) {
      if (buffers.scratch != null) {
        buffers.scratch.close();
      }
      buffers.scratch = new BytePointer(Math.max(4096L, Integer.highestOneBit(Math.max(1, size)) * 2L));
    }
    buffers.scratch.position(0);
    if (payload.hasArray()) {
      buffers.scratch.put(payload.array(), payload.arrayOffset() + payload.position(), size);
    } else {
      byte[] copy = new byte[size];
      payload.get(copy);
      buffers.scratch.put(copy, 0, size);
    }
    return buffers.scratch;
  }

  /**
   * Sends a video frame with this publisher's video codec.
   *
   * @throws IllegalStateException if the publisher has no video track
   * @see #sendFrame(MediaFrame)
   */
  public void sendVideoFrame(ByteBuffer payload, boolean keyframe, long timestampUs) {
    sendFrame(MediaFrame.video(requireTrack(videoCodec, "video"), keyframe, timestampUs, payload));
  }

  /** Same as {@link #sendVideoFrame(ByteBuffer, boolean, long)} for an array. */
  public void sendVideoFrame(byte[] payload, boolean keyframe, long timestampUs) {
    sendFrame(MediaFrame.video(requireTrack(videoCodec, "video"), keyframe, timestampUs, payload));
  }

  /**
   * Sends an audio frame with this publisher's audio codec.
   *
   * @throws IllegalStateException if the publisher has no audio track
   * @see #sendFrame(MediaFrame)
   */
  public void sendAudioFrame(ByteBuffer payload, long timestampUs) {
    sendFrame(MediaFrame.audio(requireTrack(audioCodec, "audio"), timestampUs, payload));
  }

  /** Same as {@link #sendAudioFrame(ByteBuffer, long)} for an array. */
  public void sendAudioFrame(byte[] payload, long timestampUs) {
    sendFrame(MediaFrame.audio(requireTrack(audioCodec, "audio"), timestampUs, payload));
  }

  private static Codec requireTrack(Codec codec, String kind) {
    if (codec == null) {
      throw new IllegalStateException("this publisher has no " + kind + " track");
    }
    return codec;
  }

  /** Counters since creation. */
  public Stats stats() {
    return readStats(s -> new Stats(s.frames_sent(), s.bytes_sent(), s.frames_encrypted(), s.encryption_failed(),
        s.keyframe_requests()));
  }

  /** Counters of the SDK's own encoders (video capturer, audio device) since creation. */
  public EncoderStats encoderStats() {
    return readStats(s -> new EncoderStats(s.video_frames_captured(), s.video_frames_dropped_capture(),
        s.video_frames_encoded(), s.video_keyframes_encoded(), s.video_bytes_encoded(), s.audio_frames_encoded(),
        s.video_encode_time_us()));
  }

  /** One snapshot of the native counters, read into a value by {@code read}. */
  private <T> T readStats(Function<otc_publisher_stats, T> read) {
    return guard.call(this, () -> {
      try (otc_publisher_stats s = new otc_publisher_stats()) {
        s.struct_size(s.sizeof());  // OTC_PUBLISHER_STATS_INIT
        NativeStatus.check(otc.otc_publisher_get_stats(handle, s), "publisher stats");
        return read.apply(s);
      }
    });
  }

  /**
   * Whether captured video is sent (default true); while false, captured frames are dropped
   * before encoding, and the first frame after re-enabling is a keyframe.
   *
   * @throws OtcException {@link ErrorCode#ERR_INVALID_STATE} when the publisher has no video track
   */
  public void publishVideo(boolean publish) {
    guard.run(this, () ->
        NativeStatus.check(otc.otc_publisher_set_publish_video(handle, publish ? 1 : 0), "publishVideo"));
  }

  /** Same as {@link #publishVideo} for the audio device's audio. */
  public void publishAudio(boolean publish) {
    guard.run(this, () ->
        NativeStatus.check(otc.otc_publisher_set_publish_audio(handle, publish ? 1 : 0), "publishAudio"));
  }

  public boolean isClosed() {
    return guard.isClosed();
  }

  /**
   * Unpublishes if needed and releases the native publisher. Idempotent; safe from inside any
   * listener. No event of this publisher is delivered after it returns (one already running on
   * another thread finishes).
   */
  @Override
  public void close() {
    guard.close();
  }

  @Override
  public String toString() {
    Stream s = stream;
    return "Publisher[name=" + name + ", video=" + videoCodec + ", audio=" + audioCodec
        + (s != null ? ", stream=" + s.id() : "") + (guard.isClosed() ? ", closed" : "") + "]";
  }

  /**
   * Counters of one publisher ({@code otc_publisher_stats}).
   *
   * @param framesSent frames accepted by {@link #sendFrame} and queued to the router
   * @param bytesSent payload bytes on the wire (ciphertext in an E2EE session)
   * @param framesEncrypted frames encrypted
   * @param encryptionFailed frames that could not be encrypted
   * @param keyframeRequests keyframe requests received
   */
  public record Stats(long framesSent, long bytesSent, long framesEncrypted, long encryptionFailed,
      long keyframeRequests) {}

  private final class Events implements PublisherCallbacks.Sink {
    @Override
    public void streamCreated(otc_stream s) {
      Stream created = Stream.copyOf(s);
      stream = created;
      dispatch(() -> listener.onStreamCreated(Publisher.this, created));
    }

    @Override
    public void streamDestroyed(otc_stream s) {
      Stream destroyed = s != null ? Stream.copyOf(s) : stream;
      if (destroyed != null) {
        dispatch(() -> listener.onStreamDestroyed(Publisher.this, destroyed));
      }
    }

    @Override
    public void error(String message, int code) {
      OtcException error = Session.callbackError(code, message);
      dispatch(() -> listener.onError(Publisher.this, error));
    }

    @Override
    public void keyframeRequested() {
      dispatch(() -> listener.onKeyframeRequested(Publisher.this));
    }

    private void dispatch(Runnable event) {
      // A closed publisher's queued events are dropped: close() promises silence.
      dispatcher.dispatch(() -> {
        if (!guard.isClosed()) {
          event.run();
        }
      });
    }
  }

  /** Configures a {@link Publisher}; not thread-safe. */
  public static final class Builder {
    private String name = "";
    private boolean video = true;
    private boolean audio = true;
    private Codec videoCodec = Codec.VP8;
    private Codec audioCodec = Codec.OPUS;
    private PublisherListener listener = new PublisherListener() {};
    private VideoCapturer videoCapturer;
    private int videoBitrate;

    private Builder() {}

    /**
     * The source of raw video: the SDK encodes its frames with the video codec (VP8 by default)
     * and sends them. Its {@code init} and {@code captureSettings} run inside {@link #build()}.
     * Without one, the application sends encoded video with {@link Publisher#sendFrame}.
     */
    public Builder videoCapturer(VideoCapturer capturer) {
      this.videoCapturer = Objects.requireNonNull(capturer, "capturer");
      this.video = true;
      return this;
    }

    /** Target bitrate of the SDK's video encoder in bits per second (50 000 .. 20 000 000); 0 = automatic. */
    public Builder videoBitrate(int bitsPerSecond) {
      if (bitsPerSecond != 0 && (bitsPerSecond < 50_000 || bitsPerSecond > 20_000_000)) {
        throw new IllegalArgumentException("video bitrate " + bitsPerSecond + " outside 50000..20000000");
      }
      this.videoBitrate = bitsPerSecond;
      return this;
    }

    /** Shown to subscribers; at most 1024 bytes of UTF-8. Default "". */
    public Builder name(String name) {
      this.name = Text.checked(name, "name", 1024);
      return this;
    }

    /** Enables the video track with {@code codec} (VP8, VP9 or H.264). Default VP8. */
    public Builder videoCodec(Codec codec) {
      Objects.requireNonNull(codec, "codec");
      if (codec.mediaType() != MediaType.VIDEO) {
        throw new IllegalArgumentException(codec + " is not a video codec");
      }
      this.videoCodec = codec;
      this.video = true;
      return this;
    }

    /** Enables the audio track with {@code codec} (Opus). Default Opus. */
    public Builder audioCodec(Codec codec) {
      Objects.requireNonNull(codec, "codec");
      if (codec.mediaType() != MediaType.AUDIO) {
        throw new IllegalArgumentException(codec + " is not an audio codec");
      }
      this.audioCodec = codec;
      this.audio = true;
      return this;
    }

    /** Whether the stream has video. Default true. */
    public Builder hasVideo(boolean video) {
      this.video = video;
      return this;
    }

    /** Whether the stream has audio. Default true. */
    public Builder hasAudio(boolean audio) {
      this.audio = audio;
      return this;
    }

    public Builder listener(PublisherListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @throws IllegalStateException if neither audio nor video is enabled
     * @throws OtcException if the native library refuses the settings
     */
    public Publisher build() {
      if (!video && !audio) {
        throw new IllegalStateException("a publisher needs an audio or a video track");
      }
      NativeLibrary.ensureLoaded();
      otc_publisher_settings settings = otc.otc_publisher_settings_new();
      if (settings == null || settings.isNull()) {
        throw new OtcException(ErrorCode.ERR_NO_MEMORY, "the native library could not create publisher settings");
      }
      Registration<otc_publisher_callbacks> reg = null;
      try {
        check(otc.otc_publisher_settings_set_video_track(settings, video ? 1 : 0), "video track");
        check(otc.otc_publisher_settings_set_audio_track(settings, audio ? 1 : 0), "audio track");
        if (video) {
          check(otc.otc_publisher_settings_set_video_codec(settings, videoCodec.code()), "video codec");
        }
        if (video && videoBitrate != 0) {
          check(otc.otc_publisher_settings_set_video_bitrate(settings, videoBitrate), "video bitrate");
        }
        if (audio) {
          check(otc.otc_publisher_settings_set_audio_codec(settings, audioCodec.code()), "audio codec");
        }
        reg = PublisherCallbacks.reserve();
        CapturerBridge bridge = video && videoCapturer != null ? new CapturerBridge(videoCapturer) : null;
        otc_publisher handle;
        try (otc_video_capturer_callbacks capturerCallbacks = bridge != null ? bridge.callbacks() : null) {
          handle = otc.otc_publisher_new_with_settings(name, capturerCallbacks, reg.callbacks, settings);
        }
        if (handle == null || handle.isNull()) {
          PublisherCallbacks.SINKS.unregister(reg.id);
          if (bridge != null) {
            bridge.close();
          }
          throw new OtcException(ErrorCode.ERR_INVALID_PARAM, "the native library refused to create the publisher"
              + (bridge != null ? " (or the video capturer's init / captureSettings failed)" : ""));
        }
        // No callback comes before otc_session_publish, so binding after creation loses nothing.
        Publisher publisher = new Publisher(this, handle, reg.id, bridge);
        PublisherCallbacks.SINKS.bind(reg.id, publisher.events);
        return publisher;
      } finally {
        if (reg != null) {
          reg.close();
        }
        otc.otc_publisher_settings_delete(settings);
      }
    }

    private static void check(int status, String what) {
      NativeStatus.check(status, "publisher " + what);
    }
  }

}
