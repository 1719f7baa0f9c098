package dev.otc.e2ee;

/** Kind of a media frame or track ({@code otc_media_type}). */
public enum MediaType {
  AUDIO(0),
  VIDEO(1);

  private final int code;

  MediaType(int code) {
    this.code = code;
  }

  /** The C API's number. */
  public int code() {
    return code;
  }

  /** @throws IllegalArgumentException for a number the C API does not define */
  public static MediaType fromCode(int code) {
    for (MediaType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown media type " + code);
  }
}
