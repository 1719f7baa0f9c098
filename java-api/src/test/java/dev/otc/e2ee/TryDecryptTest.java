package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameCryptor#tryDecrypt}: every per-frame outcome of decryption as a value, with no
 * exception, while the caller's mistakes still throw.
 */
class TryDecryptTest {
  private static final String SESSION = "try-decrypt-session";
  private static final String SECRET = "correct horse battery staple";
  private static final byte[] MD = "metadata".getBytes(StandardCharsets.UTF_8);
  private static final byte[] FRAME = "an encoded video frame".getBytes(StandardCharsets.UTF_8);

  private static FrameCryptor cryptor(String secret) {
    FrameCryptor c = FrameCryptor.create(SESSION);
    if (secret != null) {
      c.setEncryptionSecret(secret);
    }
    return c;
  }

  @Test
  void everyRefusalIsAValueAndSuccessWritesThePlaintext() {
    try (FrameCryptor sender = cryptor(SECRET);
        FrameCryptor receiver = cryptor(SECRET);
        FrameCryptor stranger = cryptor("a different secret, also long");
        FrameCryptor noSecret = cryptor(null)) {
      byte[] sealed = sender.encrypt(MD, FRAME);
      byte[] out = new byte[receiver.outputCapacityForDecrypt(sealed.length)];

      DecryptResult ok = receiver.tryDecrypt(MD, sealed, 0, sealed.length, out, 0);
      assertThat(ok.isSuccess()).isTrue();
      assertThat(Arrays.copyOf(out, ok.length())).isEqualTo(FRAME);

      Arrays.fill(out, (byte) 0x5A);
      DecryptResult replayed = receiver.tryDecrypt(MD, sealed, 0, sealed.length, out, 0);
      assertThat(replayed.status()).isEqualTo(DecryptResult.Status.REPLAYED);
      assertThat(replayed.length()).isZero();
      assertThat(out).as("nothing written on a refusal").containsOnly((byte) 0x5A);
      assertThat(replayed.status().errorCode()).isEqualTo(ErrorCode.FRAME_REPLAYED);
      // Refusals are shared: a flood of replays allocates nothing per frame.
      assertThat(receiver.tryDecrypt(MD, sealed, 0, sealed.length, out, 0)).isSameAs(replayed);

      byte[] next = sender.encrypt(MD, FRAME);
      byte[] forged = next.clone();
      forged[forged.length - 1] ^= 1;
      assertThat(receiver.tryDecrypt(MD, forged, 0, forged.length, out, 0).status())
          .isEqualTo(DecryptResult.Status.AUTHENTICATION_FAILED);
      assertThat(receiver.tryDecrypt(MD, new byte[0], 0, 0, out, 0).status())
          .isEqualTo(DecryptResult.Status.MALFORMED);
      assertThat(stranger.tryDecrypt(MD, next, 0, next.length, out, 0).status())
          .isEqualTo(DecryptResult.Status.SECRET_MISMATCH);
      assertThat(noSecret.tryDecrypt(MD, next, 0, next.length, out, 0).status())
          .isEqualTo(DecryptResult.Status.SECRET_MISSING);
      // The untampered frame still decrypts after all that.
      assertThat(receiver.tryDecrypt(MD, next, 0, next.length, out, 0).isSuccess()).isTrue();
    }
  }

  @Test
  void buffersMoveOnlyOnSuccess() {
    try (FrameCryptor sender = cryptor(SECRET); FrameCryptor receiver = cryptor(SECRET)) {
      byte[] sealed = sender.encrypt(MD, FRAME);
      ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
      ByteBuffer out = ByteBuffer.allocateDirect(64);
      ByteBuffer md = ByteBuffer.wrap(MD);

      DecryptResult ok = receiver.tryDecrypt(md, in, out);
      assertThat(ok.isSuccess()).isTrue();
      assertThat(in.remaining()).isZero();
      assertThat(out.position()).isEqualTo(FRAME.length);

      in.rewind();
      out.clear();
      DecryptResult replayed = receiver.tryDecrypt(md, in, out);
      assertThat(replayed.status()).isEqualTo(DecryptResult.Status.REPLAYED);
      assertThat(in.position()).isZero();
      assertThat(out.position()).isZero();
    }
  }

  @Test
  void mistakesOfTheCallerStillThrow() {
    FrameCryptor sender = cryptor(SECRET);
    FrameCryptor receiver = cryptor(SECRET);
    byte[] sealed = sender.encrypt(MD, FRAME);
    assertThatThrownBy(() -> receiver.tryDecrypt(MD, sealed, 0, sealed.length, new byte[1], 0))
        .isInstanceOf(OtcException.class)
        .satisfies(e -> assertThat(((OtcException) e).errorCode()).isEqualTo(ErrorCode.ERR_BUFFER_TOO_SMALL));
    assertThatThrownBy(() -> receiver.tryDecrypt(MD, sealed, 2, sealed.length, new byte[64], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    sender.close();
    receiver.close();
    assertThatThrownBy(() -> receiver.tryDecrypt(MD, sealed, 0, sealed.length, new byte[64], 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
