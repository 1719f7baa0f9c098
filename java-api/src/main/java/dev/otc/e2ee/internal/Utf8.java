package dev.otc.e2ee.internal;

import java.util.Objects;

/**
 * Strict UTF-8 encoding of Java text. {@code String.getBytes(UTF_8)} silently replaces an unpaired
 * surrogate with {@code '?'}, which would turn an invalid secret or session id into a different
 * valid one; and it leaves intermediate buffers that cannot be wiped. This encoder writes into
 * one exactly sized array and rejects unpaired surrogates.
 */
public final class Utf8 {
  private Utf8() {}

  /** Thrown for an unpaired surrogate; carries only its index, never the text. */
  public static final class UnpairedSurrogateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnpairedSurrogateException(int index) {
      super("unpaired UTF-16 surrogate at index " + index);
    }
  }

  /** @throws UnpairedSurrogateException if the text is not valid UTF-16 */
  public static byte[] encode(CharSequence s) {
    Objects.requireNonNull(s);
    int n = s.length();
    byte[] out = new byte[encodedLength(s, n)];
    int o = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[o++] = (byte) c;
      } else if (c < 0x800) {
        out[o++] = (byte) (0xC0 | (c >> 6));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[o++] = (byte) (0xF0 | (cp >> 18));
        out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        out[o++] = (byte) (0xE0 | (c >> 12));
        out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return out;
  }

  /** As {@link #encode(CharSequence)}; the caller wipes both arrays. */
  public static byte[] encode(char[] chars) {
    return encode(java.nio.CharBuffer.wrap(Objects.requireNonNull(chars)));
  }

  private static int encodedLength(CharSequence s, int n) {
    int len = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        len += 1;
      } else if (c < 0x800) {
        len += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new UnpairedSurrogateException(i);
        }
        len += 4;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new UnpairedSurrogateException(i);
      } else {
        len += 3;
      }
    }
    return len;
  }
}
