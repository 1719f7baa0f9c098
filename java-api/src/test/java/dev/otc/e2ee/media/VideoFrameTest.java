package dev.otc.e2ee.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Frames made by the application: wrapping, validation, copies and native conversions. */
class VideoFrameTest {
  @Test
  void ofI420WrapsDirectBuffersAndCopiesHeapOnes() {
    ByteBuffer y = ByteBuffer.allocateDirect(4 * 2);
    ByteBuffer u = ByteBuffer.allocate(2);
    ByteBuffer v = ByteBuffer.allocate(2);
    VideoFrame f = VideoFrame.ofI420(4, 2, y, 4, u, 2, v, 2);
    y.put(0, (byte) 7);
    u.put(0, (byte) 9);
    assertThat(f.plane(0).get(0)).as("direct: wrapped").isEqualTo((byte) 7);
    assertThat(f.plane(1).get(0)).as("heap: copied").isEqualTo((byte) 0);
    assertThat(f.plane(0).isDirect() && f.plane(1).isDirect()).isTrue();
    assertThat(f.stride(1)).isEqualTo(2);
    assertThat(f.isRendered()).isFalse();
  }

  @Test
  void rejectsShortPlanesSmallStridesAndBadSizes() {
    assertThatThrownBy(() -> VideoFrame.ofI420(4, 2, ByteBuffer.allocateDirect(7), 4,
        ByteBuffer.allocateDirect(2), 2, ByteBuffer.allocateDirect(2), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plane 0");
    assertThatThrownBy(() -> VideoFrame.ofPacked(VideoFormat.ARGB32, 4, 2, ByteBuffer.allocateDirect(64), 15))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
    assertThatThrownBy(() -> VideoFrame.ofPacked(VideoFormat.NV12, 4, 2, ByteBuffer.allocateDirect(64), 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VideoFrame.allocate(VideoFormat.I420, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VideoFrame.allocate(VideoFormat.I420, 8193, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VideoFrame.allocate(VideoFormat.I420, 4, 2).plane(3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void greyConvertsToArgbAndBackAsLibyuvDoes() {
    // BT.601 limited range: Y 126 (U = V = 128) is RGB (128, 128, 128).
    VideoFrame grey = VideoFrame.allocate(VideoFormat.I420, 6, 4);
    fill(grey.plane(0), 126);
    fill(grey.plane(1), 128);
    fill(grey.plane(2), 128);
    grey.timestampUs(1234);
    VideoFrame argb = grey.convert(VideoFormat.ARGB32);
    assertThat(argb.format()).isEqualTo(VideoFormat.ARGB32);
    assertThat(argb.width()).isEqualTo(6);
    assertThat(argb.timestampUs()).isEqualTo(1234);
    ByteBuffer px = argb.plane(0);
    for (int i = 0; i < 4; i++) {
      assertThat(px.get(i) & 0xFF).as("byte %d of B, G, R, A", i).isCloseTo(i == 3 ? 255 : 128, org.assertj.core.data.Offset.offset(1));
    }
    VideoFrame back = argb.convert(VideoFormat.I420);
    assertThat(back.plane(0).get(0) & 0xFF).isCloseTo(126, org.assertj.core.data.Offset.offset(1));
    assertThat(back.plane(1).get(0) & 0xFF).isCloseTo(128, org.assertj.core.data.Offset.offset(1));
  }

  @Test
  void patternSurvivesPackedRoundTripsAndCopies() {
    TestPattern pattern = new TestPattern(320, 180);
    VideoFrame src = VideoFrame.allocate(VideoFormat.I420, 320, 180);
    pattern.render(4321, src);
    assertThat(TestPattern.readCounter(src)).isEqualTo(4321);
    for (VideoFormat f : VideoFormat.values()) {
      VideoFrame back = src.convert(f).convert(VideoFormat.I420);
      assertThat(TestPattern.readCounter(back)).as(f.name()).isEqualTo(4321);
      assertThat(TestPattern.psnr(src, back)).as("I420 -> %s -> I420 PSNR", f).isGreaterThan(f == VideoFormat.I420 ? 99 : 30);
    }
    VideoFrame copy = src.copy();
    assertThat(TestPattern.psnr(src, copy)).isInfinite();
    src.plane(0).put(0, (byte) 1);
    assertThat(copy.plane(0).get(0)).as("a copy owns its pixels").isNotEqualTo((byte) 1);
  }

  private static void fill(ByteBuffer b, int value) {
    for (int i = 0; i < b.capacity(); i++) {
      b.put(i, (byte) value);
    }
  }
}
