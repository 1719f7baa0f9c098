package dev.otc.e2ee.media;

import java.nio.ByteBuffer;

/**
 * A generated, moving I420 test picture for demos, tests and benchmarks: smooth diagonal luma
 * and chroma gradients that drift every frame, a bouncing bright square, the frame number as
 * seven-segment digits (for a person looking at a snapshot) and as a 16-bit bar code of
 * black/white blocks (for a program: {@link #readCounter} reads it back from a decoded picture,
 * which survives lossy coding because each block is large and flat).
 *
 * <p>{@link #psnr} compares two I420 frames of the same size over all three planes.
 */
public final class TestPattern {
  /** Bits of the bar code: frame numbers modulo 65536. */
  public static final int COUNTER_BITS = 16;

  private final int width;
  private final int height;
  private final int block;
  private final byte[] lumaRow;

  public TestPattern(int width, int height) {
    if (width < 160 || height < 90) {
      throw new IllegalArgumentException("test pattern needs at least 160x90, not " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.block = blockSize(width);
    this.lumaRow = new byte[width];
  }

  private static int blockSize(int width) {
    return Math.max(8, (width / 40) & ~1);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Draws frame {@code n} into {@code frame} (I420, this pattern's size, writable: see {@link VideoFrame#allocate}). */
  public void render(int n, VideoFrame frame) {
    if (frame.format() != VideoFormat.I420 || frame.width() != width || frame.height() != height) {
      throw new IllegalArgumentException("needs an I420 frame of " + width + "x" + height + ", not " + frame);
    }
    ByteBuffer y = frame.plane(0);
    int ys = frame.stride(0);
    int span = width + height;
    int shift = 3 * n;
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int t = Math.floorMod(c + r + shift, 2 * span);
        int tri = t < span ? t : 2 * span - t; // a triangle wave: no hard edge where it wraps
        lumaRow[c] = (byte) (32 + tri * 160 / span);
      }
      y.put(r * ys, lumaRow, 0, width);
    }
    // A bright square bouncing across the picture.
    int side = block * 4;
    int bx = bounce(n * 5, width - side);
    // Vertically between the bar code (top) and the digits (bottom), so it never covers them.
    int by = 3 * block + bounce(n * 3, height - side - 10 * block);
    fill(y, ys, bx, by, side, side, 220);
    // Frame number: bar code on the top row, digits at the bottom left.
    for (int bit = 0; bit < COUNTER_BITS; bit++) {
      int value = ((n >>> (COUNTER_BITS - 1 - bit)) & 1) != 0 ? 235 : 16;
      fill(y, ys, block * (1 + bit), block, block, block, value);
    }
    drawNumber(y, ys, n, block, height - block * 6);
    // Chroma: two slow gradients drifting in opposite directions.
    int cw = (width + 1) / 2;
    int ch = (height + 1) / 2;
    ByteBuffer u = frame.plane(1);
    ByteBuffer v = frame.plane(2);
    int us = frame.stride(1);
    int vs = frame.stride(2);
    for (int r = 0; r < ch; r++) {
      for (int c = 0; c < cw; c++) {
        u.put(r * us + c, (byte) (128 + wave(c * 2 + n * 2, width) * 48 / 256));
        v.put(r * vs + c, (byte) (128 + wave(r * 2 - n * 2, height) * 48 / 256));
      }
    }
  }

  /** -256..256, a triangle wave of period {@code 2 * period}. */
  private static int wave(int x, int period) {
    int t = Math.floorMod(x, 2 * period);
    int tri = t < period ? t : 2 * period - t;
    return tri * 512 / period - 256;
  }

  private static int bounce(int x, int range) {
    if (range <= 0) {
      return 0;
    }
    int t = Math.floorMod(x, 2 * range);
    return t < range ? t : 2 * range - t;
  }

  private static void fill(ByteBuffer plane, int stride, int x, int y, int w, int h, int value) {
    for (int r = y; r < y + h; r++) {
      for (int c = x; c < x + w; c++) {
        plane.put(r * stride + c, (byte) value);
      }
    }
  }

  // Segments a..g of the digits 0-9 (bit 0 = a, top; clockwise; g = middle).
  private static final int[] SEGMENTS = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};

  private void drawNumber(ByteBuffer y, int ys, int n, int x0, int y0) {
    String digits = Integer.toString(n);
    int t = Math.max(2, block / 3); // stroke
    int dw = block * 2;
    int dh = block * 4;
    fill(y, ys, x0 - t, y0 - t, digits.length() * (dw + 2 * t) + t, dh + 2 * t, 16);
    for (int i = 0; i < digits.length(); i++) {
      int s = SEGMENTS[digits.charAt(i) - '0'];
      int x = x0 + i * (dw + 2 * t);
      int half = dh / 2;
      if ((s & 0x01) != 0) fill(y, ys, x, y0, dw, t, 235);
      if ((s & 0x02) != 0) fill(y, ys, x + dw - t, y0, t, half, 235);
      if ((s & 0x04) != 0) fill(y, ys, x + dw - t, y0 + half, t, half, 235);
      if ((s & 0x08) != 0) fill(y, ys, x, y0 + dh - t, dw, t, 235);
      if ((s & 0x10) != 0) fill(y, ys, x, y0 + half, t, half, 235);
      if ((s & 0x20) != 0) fill(y, ys, x, y0, t, half, 235);
      if ((s & 0x40) != 0) fill(y, ys, x, y0 + half - t / 2, dw, t, 235);
    }
  }

  /**
   * The frame number burnt into a (decoded) picture of this pattern, from the bar code: the
   * average luma of the middle of each block, thresholded at mid-grey.
   */
  public static int readCounter(VideoFrame frame) {
    int block = blockSize(frame.width());
    ByteBuffer y = frame.plane(0);
    int ys = frame.stride(0);
    int n = 0;
    for (int bit = 0; bit < COUNTER_BITS; bit++) {
      int x0 = block * (1 + bit) + block / 4;
      int y0 = block + block / 4;
      int sum = 0;
      int count = 0;
      for (int r = y0; r < y0 + block / 2; r++) {
        for (int c = x0; c < x0 + block / 2; c++) {
          sum += y.get(r * ys + c) & 0xFF;
          count++;
        }
      }
      n = (n << 1) | (sum / count > 126 ? 1 : 0);
    }
    return n;
  }

  /** PSNR in dB of {@code decoded} against {@code source} over Y, U and V (both I420, same size); infinity when equal. */
  public static double psnr(VideoFrame source, VideoFrame decoded) {
    if (source.format() != VideoFormat.I420 || decoded.format() != VideoFormat.I420
        || source.width() != decoded.width() || source.height() != decoded.height()) {
      throw new IllegalArgumentException("PSNR needs two I420 frames of one size: " + source + ", " + decoded);
    }
    long sq = 0;
    long samples = 0;
    for (int p = 0; p < 3; p++) {
      ByteBuffer a = source.plane(p);
      ByteBuffer b = decoded.plane(p);
      int as = source.stride(p);
      int bs = decoded.stride(p);
      int rows = VideoFormat.I420.rows(source.height(), p);
      int cols = VideoFormat.I420.rowBytes(source.width(), p);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int d = (a.get(r * as + c) & 0xFF) - (b.get(r * bs + c) & 0xFF);
          sq += d * d;
        }
      }
      samples += (long) rows * cols;
    }
    if (sq == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double mse = (double) sq / samples;
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
