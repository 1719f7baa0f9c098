package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/FORMAT.md sec. 1: 8..256 code points of well-formed UTF-8, no NUL. */
class EncryptionSecretTest {
  /** One code point per UTF-8 length: 1, 2, 3 and 4 bytes (the last one a surrogate pair in Java). */
  static Stream<String> codePoints() {
    return Stream.of("a", "\u00e9", "\u20ac", "\ud83d\ude00");
  }

  private static String repeat(String cp, int n) {
    return cp.repeat(n);
  }

  static Stream<Arguments> lengths() {
    return codePoints().flatMap(cp -> Stream.of(
        Arguments.of(cp, 7, false), Arguments.of(cp, 8, true), Arguments.of(cp, 256, true), Arguments.of(cp, 257, false)));
  }

  private static void assertInvalid(Runnable r, String secret) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(OtcException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(ErrorCode.SESSION_INVALID_ENCRYPTION_SECRET);
          assertThat(e.nativeCode()).isEqualTo(6004);
          if (secret != null && !secret.isEmpty()) {
            assertThat(e.getMessage()).doesNotContain(secret);
            assertThat(String.valueOf(e)).doesNotContain(secret);
          }
        });
  }

  @ParameterizedTest(name = "{1} x U+{0}")
  @MethodSource("lengths")
  void lengthIsCountedInCodePointsForEveryInputForm(String cp, int count, boolean valid) {
    String s = repeat(cp, count);
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    char[] chars = s.toCharArray();
    if (valid) {
      try (EncryptionSecret a = EncryptionSecret.of(s);
          EncryptionSecret b = EncryptionSecret.of(chars);
          EncryptionSecret c = EncryptionSecret.ofUtf8(utf8)) {
        assertThat(a.toUtf8()).isEqualTo(utf8);
        assertThat(b.toUtf8()).isEqualTo(utf8);
        assertThat(c.toUtf8()).isEqualTo(utf8);
        assertThat(a.length()).isEqualTo(count);
      }
      assertThat(EncryptionSecret.isValid(s)).isTrue();
      EncryptionSecret.validate(s);
    } else {
      assertInvalid(() -> EncryptionSecret.of(s), s);
      assertInvalid(() -> EncryptionSecret.of(chars), s);
      assertInvalid(() -> EncryptionSecret.ofUtf8(utf8), s);
      assertInvalid(() -> EncryptionSecret.validate(s), s);
      assertThat(EncryptionSecret.isValid(s)).isFalse();
    }
    // The caller's input is neither modified nor wiped by us.
    assertThat(new String(chars)).isEqualTo(s);
    assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(s);
  }

  @Test
  void mixedWidthsCountCodePointsNotCharsOrBytes() {
    // 8 code points, 12 Java chars, 23 UTF-8 bytes.
    String s = "a\u00e9\u20ac\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00z";
    assertThat(s.codePointCount(0, s.length())).isEqualTo(8);
    assertThat(EncryptionSecret.isValid(s)).isTrue();
    assertThat(EncryptionSecret.isValid(s.substring(0, s.length() - 1))).isFalse();
  }

  @Test
  void unpairedSurrogatesAreInvalidAsStringAndChars() {
    for (String s : new String[] {
        "abcdefgh\ud83d", "\ude00abcdefgh", "abcd\ude00\ud83defgh", "abcdefgh\ud83dx", "\ud800\ud800abcdefgh"}) {
      assertInvalid(() -> EncryptionSecret.of(s), null);
      assertInvalid(() -> EncryptionSecret.of(s.toCharArray()), null);
      assertThat(EncryptionSecret.isValid(s)).isFalse();
    }
  }

  @Test
  void nulInsideIsInvalid() {
    String s = "abcd\u0000efgh";
    assertInvalid(() -> EncryptionSecret.of(s), null);
    assertInvalid(() -> EncryptionSecret.of(s.toCharArray()), null);
    assertInvalid(() -> EncryptionSecret.ofUtf8(s.getBytes(StandardCharsets.UTF_8)), null);
    assertInvalid(() -> EncryptionSecret.of("abcdefgh\u0000"), null);
  }

  @Test
  void malformedUtf8BytesAreInvalid() {
    byte[] prefix = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
    byte[][] bad = {
        {(byte) 0xC0, (byte) 0xAF},                          // overlong '/'
        {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},             // overlong, 3 bytes
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},             // encoded surrogate U+D800
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xE2, (byte) 0x82},                          // truncated sequence at the end
        {(byte) 0x80},                                       // lone continuation byte
        {(byte) 0xFF},                                       // never valid
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // 5-byte form
    };
    for (byte[] b : bad) {
      byte[] secret = new byte[prefix.length + b.length];
      System.arraycopy(prefix, 0, secret, 0, prefix.length);
      System.arraycopy(b, 0, secret, prefix.length, b.length);
      assertInvalid(() -> EncryptionSecret.ofUtf8(secret), null);
    }
  }

  @Test
  void tooManyBytesIsInvalidWithoutReachingNativeLimits() {
    assertInvalid(() -> EncryptionSecret.ofUtf8(new byte[100_000]), null);
    assertInvalid(() -> EncryptionSecret.of(""), null);
  }

  @Test
  void secretNeverAppearsInToStringOrMessages() {
    String s = "correct horse battery staple";
    EncryptionSecret secret = EncryptionSecret.of(s);
    assertThat(secret.toString()).doesNotContain(s).doesNotContain("horse");
    secret.close();
    assertThat(secret.toString()).doesNotContain(s);
    assertThatThrownBy(secret::toUtf8).isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("horse"));
  }

  @Test
  void closeWipesAndIsIdempotent() throws ReflectiveOperationException {
    EncryptionSecret secret = EncryptionSecret.of("abcdefgh");
    assertThat(secret.isClosed()).isFalse();
    java.lang.reflect.Field field = EncryptionSecret.class.getDeclaredField("utf8");
    field.setAccessible(true);
    byte[] held = (byte[]) field.get(secret);
    assertThat(held).isEqualTo("abcdefgh".getBytes(StandardCharsets.US_ASCII));
    secret.close();
    assertThat(held).as("the bytes are zeroed, not just dropped").containsOnly(0);
    secret.close();
    assertThat(secret.isClosed()).isTrue();
    assertThatThrownBy(secret::length).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void ofUtf8CopiesItsInput() {
    byte[] utf8 = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
    try (EncryptionSecret secret = EncryptionSecret.ofUtf8(utf8)) {
      utf8[0] = 'z';
      assertThat(secret.toUtf8()[0]).isEqualTo((byte) 'a');
    }
  }

  @Test
  void nullInputs() {
    assertThatThrownBy(() -> EncryptionSecret.of((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EncryptionSecret.of((char[]) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EncryptionSecret.ofUtf8(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EncryptionSecret.validate(null)).isInstanceOf(NullPointerException.class);
    assertThat(EncryptionSecret.isValid(null)).isFalse();
  }
}
