package dev.otc.e2ee.media;

/**
 * Pixel formats of a {@link VideoFrame}; the codes are those of {@code otc_video_frame_format}
 * (native/include/otc/video_frame.h, the OpenTok Linux SDK's numbers). The packed RGB names follow
 * libyuv: the name lists the components of a little-endian 32-bit word from the most significant
 * byte, so the bytes in memory are the reverse ({@link #ARGB32} is B, G, R, A in memory).
 */
public enum VideoFormat {
  /** I420: Y, U and V planes, chroma halved in both directions. */
  I420(1, 3),
  /** Y plane, then one plane of interleaved U, V (4:2:0). */
  NV12(2, 2),
  /** Y plane, then one plane of interleaved V, U (4:2:0). */
  NV21(3, 2),
  /** Packed 4:2:2: Y0, U, Y1, V. */
  YUY2(4, 1),
  /** Packed 4:2:2: U, Y0, V, Y1. */
  UYVY(5, 1),
  /** Packed 32-bit; bytes B, G, R, A. */
  ARGB32(6, 1),
  /** Packed 32-bit; bytes A, R, G, B. */
  BGRA32(7, 1),
  /** Packed 24-bit; bytes B, G, R. */
  RGB24(8, 1),
  /** Packed 32-bit; bytes R, G, B, A. */
  ABGR32(9, 1),
  /** Packed 32-bit; bytes A, B, G, R. */
  RGBA32(11, 1);

  private final int code;
  private final int planes;

  VideoFormat(int code, int planes) {
    this.code = code;
    this.planes = planes;
  }

  /** The {@code otc_video_frame_format} number. */
  public int code() {
    return code;
  }

  public int planeCount() {
    return planes;
  }

  /** Whether all pixels are in one plane (YUY2, UYVY and the RGB formats). */
  public boolean isPacked() {
    return planes == 1;
  }

  /** By code; values() would copy its array on every call, and this runs once per rendered frame. */
  private static final VideoFormat[] BY_CODE = new VideoFormat[12];

  static {
    for (VideoFormat f : values()) {
      BY_CODE[f.code] = f;
    }
  }

  /** The format of a native code; null when unknown. */
  public static VideoFormat fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Bytes in one row of {@code plane} for a frame {@code width} pixels wide (the smallest stride). */
  public int rowBytes(int width, int plane) {
    int halfUp = (width + 1) / 2;
    return switch (this) {
      case I420 -> plane == 0 ? width : halfUp;
      case NV12, NV21 -> plane == 0 ? width : 2 * halfUp;
      case YUY2, UYVY -> 4 * halfUp;
      case ARGB32, BGRA32, ABGR32, RGBA32 -> 4 * width;
      case RGB24 -> 3 * width;
    };
  }

  /** Rows of {@code plane} for a frame {@code height} pixels high (chroma of 4:2:0 rounds up). */
  public int rows(int height, int plane) {
    return plane > 0 && (this == I420 || this == NV12 || this == NV21) ? (height + 1) / 2 : height;
  }

  /** The index of {@code plane} as {@code otc_video_frame_plane} numbers it. */
  int nativePlane(int plane) {
    return switch (this) {
      case I420 -> plane; // Y = 0, U = 1, V = 2
      case NV12 -> plane == 0 ? 0 : 4; // UV_INTERLEAVED
      case NV21 -> plane == 0 ? 0 : 5; // VU_INTERLEAVED
      default -> 3; // PACKED
    };
  }
}
