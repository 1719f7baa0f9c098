package dev.otc.e2ee.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otc.e2ee.Codec;
import dev.otc.e2ee.MediaFrame;
import dev.otc.e2ee.MediaType;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** The frame value type: views, copies and validation, without native code. */
class MediaFrameTest {
  @Test
  void factoriesWrapTheRemainingBytesWithoutCopying() {
    ByteBuffer buf = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9});
    buf.position(1).limit(4);
    MediaFrame f = MediaFrame.video(Codec.VP9, true, 77, buf);
    assertThat(f.size()).isEqualTo(3);
    assertThat(f.payloadBytes()).containsExactly(1, 2, 3);
    assertThat(buf.position()).as("the caller's buffer is not consumed").isEqualTo(1);
    buf.put(1, (byte) 42);
    assertThat(f.payloadBytes()).as("wrapped, not copied").containsExactly(42, 2, 3);
    assertThat(f.mediaType()).isEqualTo(MediaType.VIDEO);
    assertThat(f.isKeyframe()).isTrue();
    assertThat(f.timestampUs()).isEqualTo(77);
  }

  @Test
  void payloadViewsAreReadOnlyAndIndependent() {
    MediaFrame f = MediaFrame.audio(Codec.OPUS, 5, new byte[] {1, 2, 3});
    ByteBuffer view = f.payload();
    assertThat(view.isReadOnly()).isTrue();
    assertThatThrownBy(() -> view.put(0, (byte) 0)).isInstanceOf(ReadOnlyBufferException.class);
    view.get();
    assertThat(f.payload().position()).isZero();
    assertThat(f.isKeyframe()).as("audio frames are never keyframes").isFalse();
  }

  @Test
  void copyOwnsItsBytes() {
    byte[] data = {1, 2, 3, 4};
    MediaFrame f = MediaFrame.builder().codec(Codec.H264).keyframe(true).timestampUs(3).layers(2, 1)
        .payload(data).build();
    MediaFrame copy = f.copy();
    data[0] = 99;
    assertThat(copy.payloadBytes()).containsExactly(1, 2, 3, 4);
    assertThat(copy.codec()).isEqualTo(Codec.H264);
    assertThat(copy.spatialLayer()).isEqualTo(2);
    assertThat(copy.temporalLayer()).isEqualTo(1);
    assertThat(copy.toString()).doesNotContain("99").contains("H.264", "keyframe", "4 bytes");
  }

  @Test
  void rejectsCodecOfTheWrongKindAndBadLayers() {
    assertThatThrownBy(() -> MediaFrame.video(Codec.OPUS, true, 0, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MediaFrame.audio(Codec.VP8, 0, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MediaFrame.builder().layers(256, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MediaFrame.builder().codec(Codec.VP8).build()).isInstanceOf(IllegalStateException.class);
    assertThat(Codec.fromCode(0)).isEmpty();
    assertThat(Codec.fromCode(16)).contains(Codec.OPUS);
  }
}
