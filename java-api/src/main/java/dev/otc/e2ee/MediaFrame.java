package dev.otc.e2ee;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One encoded audio or video frame with its metadata ({@code otc_media_frame}): what an
 * application hands to {@link Publisher#sendFrame(MediaFrame)} and what
 * {@link SubscriberListener#onFrame(Subscriber, MediaFrame)} receives, decrypted.
 *
 * <p><b>Lifetime of a received frame.</b> The payload of a frame passed to {@code onFrame} is a
 * read-only view of storage the SDK reuses for later frames: it is valid only until
 * {@code onFrame} returns. To keep a frame, call {@link #copy()} (or {@link #payloadBytes()})
 * inside the callback. The SDK never hands out views of native memory: a view kept too long shows
 * other frames' bytes, it cannot crash the JVM.
 *
 * <p><b>Frames to send.</b> The factories wrap the caller's buffer without copying (the region
 * between its position and limit, at the time of the call); it must stay unchanged until
 * {@code sendFrame} returns. Direct buffers reach native code without a copy.
 */
public final class MediaFrame {
  private final MediaType mediaType;
  private final Codec codec;
  private final boolean keyframe;
  private final long timestampUs;
  private final long sequence;
  private final int spatialLayer;
  private final int temporalLayer;
  /**
   * Position 0, limit = size; never handed out itself (callers get read-only views). Kept writable
   * when the caller's buffer was, so the send path can reach its array without an extra copy.
   */
  private final ByteBuffer payload;

  private MediaFrame(Codec codec, boolean keyframe, long timestampUs, long sequence,
      int spatialLayer, int temporalLayer, ByteBuffer payload) {
    this.mediaType = codec.mediaType();
    this.codec = codec;
    this.keyframe = keyframe;
    this.timestampUs = timestampUs;
    this.sequence = sequence;
    this.spatialLayer = spatialLayer;
    this.temporalLayer = temporalLayer;
    this.payload = payload;
  }

  /** A video frame (VP8, VP9 or H.264) on layer 0/0; {@code payload}'s remaining bytes, not copied. */
  public static MediaFrame video(Codec codec, boolean keyframe, long timestampUs, ByteBuffer payload) {
    return builder().codec(requireKind(codec, MediaType.VIDEO)).keyframe(keyframe).timestampUs(timestampUs)
        .payload(payload).build();
  }

  /** A video frame wrapping {@code payload} (not copied). */
  public static MediaFrame video(Codec codec, boolean keyframe, long timestampUs, byte[] payload) {
    return video(codec, keyframe, timestampUs, ByteBuffer.wrap(Objects.requireNonNull(payload, "payload")));
  }

  /** An audio frame (Opus); {@code payload}'s remaining bytes, not copied. */
  public static MediaFrame audio(Codec codec, long timestampUs, ByteBuffer payload) {
    return builder().codec(requireKind(codec, MediaType.AUDIO)).timestampUs(timestampUs).payload(payload).build();
  }

  /** An audio frame wrapping {@code payload} (not copied). */
  public static MediaFrame audio(Codec codec, long timestampUs, byte[] payload) {
    return audio(codec, timestampUs, ByteBuffer.wrap(Objects.requireNonNull(payload, "payload")));
  }

  /** For frames with spatial/temporal layers; codec and payload are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A frame the SDK received; {@code payload} is already a private read-only buffer. */
  static MediaFrame received(Codec codec, boolean keyframe, long timestampUs, long sequence,
      int spatialLayer, int temporalLayer, ByteBuffer payload) {
    return new MediaFrame(codec, keyframe, timestampUs, sequence, spatialLayer, temporalLayer, payload);
  }

  private static Codec requireKind(Codec codec, MediaType kind) {
    Objects.requireNonNull(codec, "codec");
    if (codec.mediaType() != kind) {
      throw new IllegalArgumentException(codec + " is not a " + kind.name().toLowerCase(java.util.Locale.ROOT)
          + " codec");
    }
    return codec;
  }

  public MediaType mediaType() {
    return mediaType;
  }

  public Codec codec() {
    return codec;
  }

  /** Video: decodable on its own. Always false for audio. */
  public boolean isKeyframe() {
    return keyframe;
  }

  /** Capture timestamp in microseconds, as the publisher set it. */
  public long timestampUs() {
    return timestampUs;
  }

  /**
   * Per-stream frame number set by the publishing SDK (+1 per frame, unsigned 32-bit); 0 for a
   * frame built by the application (the SDK numbers frames when sending). Audio and video of a
   * stream share the sequence, and audio may arrive ahead of video numbered before it (the router
   * lets audio overtake queued video), so a number out of order is not by itself a lost frame.
   */
  public long sequence() {
    return sequence;
  }

  public int spatialLayer() {
    return spatialLayer;
  }

  public int temporalLayer() {
    return temporalLayer;
  }

  /** Payload size in bytes. */
  public int size() {
    return payload.limit();
  }

  /**
   * A read-only view of the payload (position 0, limit = {@link #size()}); each call returns a new
   * view, so callers may move its position freely. For a received frame, valid only during
   * {@code onFrame}: see the class comment.
   */
  public ByteBuffer payload() {
    return payload.asReadOnlyBuffer();
  }

  /** The payload buffer itself (position 0), for the send path only: never exposed. */
  ByteBuffer payloadForSend() {
    return payload.duplicate();
  }

  /** A new array holding the payload. */
  public byte[] payloadBytes() {
    byte[] out = new byte[payload.limit()];
    payload.duplicate().get(out);
    return out;
  }

  /** An independent frame with its own copy of the payload, valid for as long as it is referenced. */
  public MediaFrame copy() {
    return new MediaFrame(codec, keyframe, timestampUs, sequence, spatialLayer, temporalLayer,
        ByteBuffer.wrap(payloadBytes()));
  }

  /** Metadata only; payload bytes are never printed. */
  @Override
  public String toString() {
    return "MediaFrame[" + codec.displayName() + (keyframe ? " keyframe" : "") + ", ts=" + timestampUs + "us, seq="
        + sequence + ", layers=" + spatialLayer + "/" + temporalLayer + ", " + size() + " bytes]";
  }

  /** Builds a frame to send; not thread-safe. */
  public static final class Builder {
    private Codec codec;
    private boolean keyframe;
    private long timestampUs;
    private int spatialLayer;
    private int temporalLayer;
    private ByteBuffer payload;

    private Builder() {}

    /** Required; also decides the media type. */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    public Builder keyframe(boolean keyframe) {
      this.keyframe = keyframe;
      return this;
    }

    public Builder timestampUs(long timestampUs) {
      this.timestampUs = timestampUs;
      return this;
    }

    /** @throws IllegalArgumentException outside 0..255 */
    public Builder layers(int spatialLayer, int temporalLayer) {
      this.spatialLayer = checkLayer(spatialLayer, "spatial");
      this.temporalLayer = checkLayer(temporalLayer, "temporal");
      return this;
    }

    /** Required: the remaining bytes of {@code payload} (position to limit), not copied. */
    public Builder payload(ByteBuffer payload) {
      Objects.requireNonNull(payload, "payload");
      this.payload = payload.slice();
      return this;
    }

    /** Required: wraps {@code payload}, not copied. */
    public Builder payload(byte[] payload) {
      return payload(ByteBuffer.wrap(Objects.requireNonNull(payload, "payload")));
    }

    /** @throws IllegalStateException if codec or payload is missing */
    public MediaFrame build() {
      if (codec == null) {
        throw new IllegalStateException("codec is required");
      }
      if (payload == null) {
        throw new IllegalStateException("payload is required");
      }
      return new MediaFrame(codec, codec.mediaType() == MediaType.VIDEO && keyframe, timestampUs, 0,
          spatialLayer, temporalLayer, payload);
    }

    private static int checkLayer(int layer, String what) {
      if (layer < 0 || layer > 255) {
        throw new IllegalArgumentException(what + " layer must be 0..255, was " + layer);
      }
      return layer;
    }
  }
}
