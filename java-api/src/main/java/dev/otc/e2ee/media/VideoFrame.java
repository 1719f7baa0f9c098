package dev.otc.e2ee.media;

import dev.otc.e2ee.ErrorCode;
import dev.otc.e2ee.OtcException;
import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One raw video frame: a {@link VideoFormat}, a size, a capture timestamp and up to three planes,
 * each a direct {@link ByteBuffer} with a stride (bytes from one row to the next).
 *
 * <p>Two kinds:
 * <ul>
 *   <li><b>Application frames</b> ({@link #allocate}, {@link #ofI420}, {@link #ofPlanes},
 *   {@link #ofPacked}, {@link #copy()}, {@link #convert}): the planes are Java direct buffers,
 *   kept by this object (the {@code of*} factories wrap the caller's direct buffers without
 *   copying; heap buffers are copied once). Such a frame can be handed to a capturer's
 *   {@link VideoFrameSink#provideFrame} again and again: the SDK copies the pixels during that
 *   call, so the application may rewrite the planes for its next frame.</li>
 *   <li><b>Rendered frames</b> (given to {@link VideoRenderer#onRenderFrame}): a zero-copy,
 *   read-only view of the SDK's decoded picture, valid only while the callback runs. After it
 *   returns, every accessor throws {@link IllegalStateException}; the plane buffers obtained
 *   during the call must not be read any more (they point at memory the SDK reuses for later
 *   pictures). {@link #copy()} keeps a frame. The view object itself is reused from frame to
 *   frame, so do not keep a reference to it either.</li>
 * </ul>
 *
 * <p>Not thread-safe; a rendered frame is used on the callback thread.
 */
public final class VideoFrame {
  static {
    Access.ensureInstalled();  // the native bridges' way to bind views (internal.media.MediaAccess)
  }

  private VideoFormat format;
  private int width;
  private int height;
  private long timestampUs;
  private final ByteBuffer[] planes = new ByteBuffer[3];
  private final int[] strides = new int[3];
  /** Null for an application frame; the cache of plane views for a rendered one. */
  private final PlaneViews views;
  /** Rendered frames: whether the callback that received this view is still running. */
  private boolean bound;

  private VideoFrame(VideoFormat format, int width, int height, ByteBuffer[] planes, int[] strides) {
    this.format = format;
    this.width = width;
    this.height = height;
    for (int i = 0; i < format.planeCount(); i++) {
      this.planes[i] = planes[i];
      this.strides[i] = strides[i];
    }
    this.views = null;
  }

  private VideoFrame(PlaneViews views) {
    this.views = views;
  }

  /** A new frame with zeroed planes in the tightest layout (stride = row size), writable. */
  public static VideoFrame allocate(VideoFormat format, int width, int height) {
    Objects.requireNonNull(format, "format");
    checkSize(width, height);
    ByteBuffer[] p = new ByteBuffer[format.planeCount()];
    int[] s = new int[format.planeCount()];
    for (int i = 0; i < p.length; i++) {
      s[i] = format.rowBytes(width, i);
      p[i] = ByteBuffer.allocateDirect(s[i] * format.rows(height, i));
    }
    return new VideoFrame(format, width, height, p, s);
  }

  /** An I420 frame over three planes (wrapped if direct, copied otherwise); see {@link #ofPlanes}. */
  public static VideoFrame ofI420(int width, int height, ByteBuffer y, int yStride, ByteBuffer u, int uStride,
      ByteBuffer v, int vStride) {
    return ofPlanes(VideoFormat.I420, width, height, new ByteBuffer[] {y, u, v}, new int[] {yStride, uStride, vStride});
  }

  /** A frame of a packed format (YUY2, UYVY, the RGB formats) over one buffer; see {@link #ofPlanes}. */
  public static VideoFrame ofPacked(VideoFormat format, int width, int height, ByteBuffer data, int stride) {
    Objects.requireNonNull(format, "format");
    if (!format.isPacked()) {
      throw new IllegalArgumentException(format + " is not a packed format");
    }
    return ofPlanes(format, width, height, new ByteBuffer[] {data}, new int[] {stride});
  }

  /**
   * A frame over the given planes, in the order Y, U, V (I420), Y, UV (NV12/NV21) or the one
   * packed plane. Each plane starts at its buffer's position and needs at least
   * {@code stride * rows} remaining bytes, with {@code stride >= }{@link VideoFormat#rowBytes}.
   * Direct buffers are wrapped (the frame sees later writes to them); heap buffers are copied.
   *
   * @throws IllegalArgumentException for a size outside 1..8192, a missing or short plane, a
   *     stride below the row size
   */
  public static VideoFrame ofPlanes(VideoFormat format, int width, int height, ByteBuffer[] planes, int[] strides) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(planes, "planes");
    Objects.requireNonNull(strides, "strides");
    checkSize(width, height);
    int n = format.planeCount();
    if (planes.length < n || strides.length < n) {
      throw new IllegalArgumentException(format + " needs " + n + " planes and strides");
    }
    ByteBuffer[] p = new ByteBuffer[n];
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      ByteBuffer b = Objects.requireNonNull(planes[i], "plane " + i);
      int row = format.rowBytes(width, i);
      if (strides[i] < row) {
        throw new IllegalArgumentException("stride " + strides[i] + " of plane " + i + " is below its row size " + row);
      }
      long need = (long) strides[i] * format.rows(height, i);
      if (b.remaining() < need) {
        throw new IllegalArgumentException("plane " + i + " has " + b.remaining() + " bytes, needs " + need);
      }
      ByteBuffer slice = b.slice().limit((int) need);
      if (!slice.isDirect()) {
        ByteBuffer copy = ByteBuffer.allocateDirect((int) need);
        copy.put(slice).clear();
        slice = copy;
      } else {
        slice = slice.slice();
      }
      p[i] = slice;
      s[i] = strides[i];
    }
    return new VideoFrame(format, width, height, p, s);
  }

  private static void checkSize(int width, int height) {
    if (width < 1 || height < 1 || width > otc.OTC_VIDEO_FRAME_MAX_DIMENSION || height > otc.OTC_VIDEO_FRAME_MAX_DIMENSION) {
      throw new IllegalArgumentException("frame size " + width + "x" + height + " outside 1.." + otc.OTC_VIDEO_FRAME_MAX_DIMENSION);
    }
  }

  public VideoFormat format() {
    checkBound();
    return format;
  }

  public int width() {
    checkBound();
    return width;
  }

  public int height() {
    checkBound();
    return height;
  }

  /** Capture timestamp in microseconds (0 when unset: the SDK then stamps the frame when it is provided). */
  public long timestampUs() {
    checkBound();
    return timestampUs;
  }

  /**
   * Sets the capture timestamp (microseconds) carried to subscribers with the encoded frame.
   *
   * @throws UnsupportedOperationException on a rendered frame
   */
  public VideoFrame timestampUs(long timestampUs) {
    if (views != null) {
      throw new UnsupportedOperationException("a rendered frame is read-only");
    }
    this.timestampUs = timestampUs;
    return this;
  }

  public int planeCount() {
    checkBound();
    return format.planeCount();
  }

  /**
   * Plane {@code index} from its first byte (position 0) to its end ({@code stride * rows}
   * bytes). For a rendered frame a read-only zero-copy view, valid during the callback only.
   * The same buffer object is returned on every call (its position and limit are reset), so
   * reading it makes no garbage.
   */
  public ByteBuffer plane(int index) {
    checkBound();
    checkPlane(index);
    return planes[index].clear();
  }

  /** Bytes from one row of plane {@code index} to the next. */
  public int stride(int index) {
    checkBound();
    checkPlane(index);
    return strides[index];
  }

  /** Whether this is a view the SDK handed to a renderer (read-only, valid during the callback only). */
  public boolean isRendered() {
    return views != null;
  }

  /** A deep copy in the tightest layout (stride = row size) that stays valid: use it to keep a rendered frame. */
  public VideoFrame copy() {
    checkBound();
    VideoFrame copy = allocate(format, width, height);
    copy.timestampUs = timestampUs;
    for (int i = 0; i < format.planeCount(); i++) {
      int row = format.rowBytes(width, i);
      int rows = format.rows(height, i);
      ByteBuffer src = planes[i].duplicate().clear();
      ByteBuffer dst = copy.planes[i];
      for (int r = 0; r < rows; r++) {
        src.limit(r * strides[i] + row).position(r * strides[i]);
        dst.put(src);
      }
      dst.clear();
    }
    return copy;
  }

  /**
   * This frame converted to {@code target} by the native library (libyuv; BT.601 limited range
   * between YUV and RGB), as a new application frame.
   *
   * @throws OtcException if the library was built without media support
   */
  public VideoFrame convert(VideoFormat target) {
    Objects.requireNonNull(target, "target");
    checkBound();
    NativeLibrary.ensureLoaded();
    long source = toNative();
    try {
      long converted = otc.otc_video_frame_convert(target.code(), source);
      if (converted == 0) {
        throw new OtcException(ErrorCode.ERR_NOT_SUPPORTED, "conversion " + format + " -> " + target
            + " is not available in this build");
      }
      try {
        return fromNative(converted);
      } finally {
        otc.otc_video_frame_delete(converted);
      }
    } finally {
      otc.otc_video_frame_delete(source);
    }
  }

  /**
   * A native {@code otc_video_frame} copied from this frame's planes (the caller deletes it), or
   * 0 when the native library refuses it. Allocates nothing on the Java heap.
   */
  long toNative() {
    NativeArgs args = NativeArgs.get();
    int n = format.planeCount();
    for (int i = 0; i < n; i++) {
      args.set(i, NativeMemory.addressOf(planes[i]), strides[i]);
    }
    long frame = otc.otc_video_frame_new_from_planes(format.code(), width, height, args.planesAddress, args.stridesAddress);
    if (frame == 0) {
      throw new OtcException(ErrorCode.ERR_NO_MEMORY, "the native library could not create a " + format + " frame");
    }
    otc.otc_video_frame_set_timestamp(frame, timestampUs);
    return frame;
  }

  /** An application frame copied from a native frame. */
  static VideoFrame fromNative(long frame) {
    VideoFrame view = new VideoFrame(new PlaneViews());
    view.bind(frame);
    try {
      return view.copy();
    } finally {
      view.unbind();
    }
  }

  /** A reusable rendered-frame view, bound to one native frame per callback. */
  static VideoFrame newView() {
    return new VideoFrame(new PlaneViews());
  }

  /** Points this view at a native frame for the duration of a callback. */
  void bind(long frame) {
    format = VideoFormat.fromCode(otc.otc_video_frame_get_format(frame));
    if (format == null) {
      throw new IllegalStateException("native frame of unknown format " + otc.otc_video_frame_get_format(frame));
    }
    width = otc.otc_video_frame_get_width(frame);
    height = otc.otc_video_frame_get_height(frame);
    timestampUs = otc.otc_video_frame_get_timestamp(frame);
    for (int i = 0; i < format.planeCount(); i++) {
      int p = format.nativePlane(i);
      strides[i] = otc.otc_video_frame_get_plane_stride(frame, p);
      planes[i] = views.view(i, otc.otc_video_frame_get_plane_binary_data(frame, p),
          otc.otc_video_frame_get_plane_size(frame, p));
    }
    bound = true;
  }

  /** The callback returned: the view is no longer usable. */
  void unbind() {
    bound = false;
    for (int i = 0; i < 3; i++) {
      planes[i] = null;
    }
  }

  /** Plane views made because no cached one matched (for tests of the no-garbage path). */
  long viewsCreated() {
    return views == null ? 0 : views.created;
  }

  private void checkBound() {
    if (views != null && !bound) {
      throw new IllegalStateException("a rendered VideoFrame is valid only during onRenderFrame; copy() it to keep it");
    }
  }

  private void checkPlane(int index) {
    if (index < 0 || index >= format.planeCount()) {
      throw new IndexOutOfBoundsException("plane " + index + " of a " + format + " frame");
    }
  }

  @Override
  public String toString() {
    if (views != null && !bound) {
      return "VideoFrame[rendered, callback returned]";
    }
    return "VideoFrame[" + format + " " + width + "x" + height + ", ts=" + timestampUs + "us"
        + (views != null ? ", rendered" : "") + "]";
  }

  /**
   * Read-only direct buffers over native planes, cached by (address, size): decoders hand out
   * pictures from a small pool of buffers, so after the first frames every plane finds its view
   * here and rendering allocates nothing. The cache is small and replaced round-robin, so a
   * decoder that never reuses memory costs one view per plane per frame, nothing worse.
   */
  private static final class PlaneViews {
    private static final int SIZE = 16;
    private final long[] address = new long[SIZE];
    private final long[] length = new long[SIZE];
    private final ByteBuffer[] buffer = new ByteBuffer[SIZE];
    private final NativeMemory cursor = new NativeMemory();
    private int next;
    long created;

    ByteBuffer view(int plane, long addr, long size) {
      if (addr == 0 || size <= 0 || size > Integer.MAX_VALUE) {
        throw new IllegalStateException("native frame without plane " + plane);
      }
      for (int i = 0; i < SIZE; i++) {
        if (address[i] == addr && length[i] == size) {
          return buffer[i];
        }
      }
      ByteBuffer b = cursor.view(addr, size).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
      int slot = next;
      next = (next + 1) % SIZE;
      address[slot] = addr;
      length[slot] = size;
      buffer[slot] = b;
      created++;
      return b;
    }
  }

  /** Per-thread native arrays of plane addresses and strides for otc_video_frame_new_from_planes. */
  private static final class NativeArgs {
    private static final ThreadLocal<NativeArgs> LOCAL = ThreadLocal.withInitial(NativeArgs::new);
    private final ByteBuffer memory = ByteBuffer.allocateDirect(3 * 8 + 3 * 4).order(ByteOrder.nativeOrder());
    final long planesAddress = NativeMemory.addressOf(memory);
    final long stridesAddress = planesAddress + 24;

    static NativeArgs get() {
      return LOCAL.get();
    }

    void set(int plane, long address, int stride) {
      memory.putLong(plane * 8, address);
      memory.putInt(24 + plane * 4, stride);
    }
  }
}
