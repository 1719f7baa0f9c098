package dev.otc.e2ee;

import java.util.Optional;

/**
 * Codecs of encoded frames ({@code otc_codec}). The SDK never encodes or decodes: the codec is
 * a label the router forwards and subscribers use to pick a decoder. Numbers travel on the wire
 * (docs/PROTOCOL.md sec. 3).
 */
public enum Codec {
  VP8(1, MediaType.VIDEO, "VP8"),
  VP9(2, MediaType.VIDEO, "VP9"),
  H264(3, MediaType.VIDEO, "H.264"),
  OPUS(16, MediaType.AUDIO, "Opus");

  private final int code;
  private final MediaType mediaType;
  private final String displayName;

  Codec(int code, MediaType mediaType, String displayName) {
    this.code = code;
    this.mediaType = mediaType;
    this.displayName = displayName;
  }

  /** The C API's (and the wire's) number. */
  public int code() {
    return code;
  }

  /** Whether this codec carries audio or video. */
  public MediaType mediaType() {
    return mediaType;
  }

  /** Human-readable name: "VP8", "VP9", "H.264", "Opus". */
  public String displayName() {
    return displayName;
  }

  /** The codec for a C API number; empty for {@code OTC_CODEC_NONE} (0) and unknown numbers. */
  public static Optional<Codec> fromCode(int code) {
    for (Codec c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
