package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.bindings.otc.otc_stream;
import dev.otc.e2ee.internal.NativeRef;
import dev.otc.e2ee.internal.session.NativeText;
import java.time.Instant;
import java.util.Optional;

/**
 * A stream published in a session: an immutable snapshot, safe to keep and to read from any
 * thread. Pass it to {@link Session#subscribe(Stream, SubscriberListener)} to receive its frames.
 *
 * <p>Two {@code Stream} objects are equal when they name the same stream id.
 */
public final class Stream {
  private final String id;
  private final String name;
  private final String connectionId;
  private final Codec videoCodec;
  private final Codec audioCodec;
  private final boolean hasVideo;
  private final boolean hasAudio;
  private final boolean e2ee;
  private final Instant creationTime;
  /** The SDK's own copy, needed to subscribe; freed when this object becomes unreachable. */
  private final otc_stream handle;
  /** A snapshot has no close(): only the cleaner frees its copy. */
  private final NativeRef ref;

  private Stream(otc_stream copy) {
    this.handle = copy;
    this.id = NativeText.read(otc.otc_stream_get_id(copy));
    this.name = NativeText.read(otc.otc_stream_get_name(copy));
    this.connectionId = NativeText.read(otc.otc_stream_get_connection_id(copy));
    this.videoCodec = Codec.fromCode(otc.otc_stream_get_video_codec(copy)).orElse(null);
    this.audioCodec = Codec.fromCode(otc.otc_stream_get_audio_codec(copy)).orElse(null);
    this.hasVideo = otc.otc_stream_has_video(copy) != 0;
    this.hasAudio = otc.otc_stream_has_audio(copy) != 0;
    this.e2ee = otc.otc_stream_is_e2ee(copy) != 0;
    this.creationTime = Instant.ofEpochMilli(otc.otc_stream_get_creation_time_ms(copy));
    this.ref = new NativeRef(this, "Stream", () -> otc.otc_stream_delete(copy));
  }

  /**
   * Snapshot of a stream that native code handed to a callback (valid during the call only): the
   * SDK copies it, so the result outlives the callback.
   */
  static Stream copyOf(otc_stream borrowed) {
    otc_stream copy = otc.otc_stream_copy(borrowed);
    if (copy == null || copy.isNull()) {
      throw new OtcException(ErrorCode.ERR_NO_MEMORY, "the native library could not copy a stream");
    }
    return new Stream(copy);
  }

  /** Runs {@code use} with the native copy (for {@code otc_subscriber_new}, which copies it again), kept alive meanwhile. */
  <T> T withHandle(java.util.function.Function<otc_stream, T> use) {
    ref.acquire();
    try {
      return use.apply(handle);
    } finally {
      ref.release(this);
    }
  }

  /** Router-assigned stream id. */
  public String id() {
    return id;
  }

  /** Name given by the publisher (may be empty). */
  public String name() {
    return name;
  }

  /** Connection id of the publishing client. */
  public String connectionId() {
    return connectionId;
  }

  /** Codec of the video track; empty when the stream has no video. */
  public Optional<Codec> videoCodec() {
    return Optional.ofNullable(videoCodec);
  }

  /** Codec of the audio track; empty when the stream has no audio. */
  public Optional<Codec> audioCodec() {
    return Optional.ofNullable(audioCodec);
  }

  public boolean hasVideo() {
    return hasVideo;
  }

  public boolean hasAudio() {
    return hasAudio;
  }

  /** Whether the stream's frames are end-to-end encrypted (every stream of an E2EE session). */
  public boolean isE2ee() {
    return e2ee;
  }

  /** When the router created the stream. */
  public Instant creationTime() {
    return creationTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stream other && other.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Stream[id=" + id + ", name=" + name + ", connection=" + connectionId
        + ", video=" + (hasVideo ? videoCodec : "none") + ", audio=" + (hasAudio ? audioCodec : "none")
        + ", e2ee=" + e2ee + "]";
  }

  /** Why a stream ended ({@code otc_stream_drop_reason}). */
  public enum DropReason {
    UNPUBLISHED(1),
    PUBLISHER_LEFT(2),
    /** A reason number this version does not know. */
    UNKNOWN(-1);

    private final int code;

    DropReason(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static DropReason fromCode(int code) {
      for (DropReason r : values()) {
        if (r.code == code) {
          return r;
        }
      }
      return UNKNOWN;
    }
  }
}
