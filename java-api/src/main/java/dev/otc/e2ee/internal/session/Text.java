package dev.otc.e2ee.internal.session;

import dev.otc.e2ee.internal.Utf8;
import java.util.Objects;

/** Checks of strings that cross into C, where a NUL would silently cut them short. */
public final class Text {
  private Text() {}

  /**
   * @throws NullPointerException if {@code s} is null
   * @throws IllegalArgumentException if it holds a NUL or an unpaired surrogate, or is longer than
   *     {@code maxUtf8Bytes} in UTF-8
   */
  /**
   * The strict UTF-8 of {@code s} (the one rule for text, as for secrets and session ids).
   *
   * @throws IllegalArgumentException naming {@code what} if it holds an unpaired surrogate
   */
  public static byte[] utf8(String s, String what) {
    try {
      return Utf8.encode(s);
    } catch (Utf8.UnpairedSurrogateException e) {
      throw new IllegalArgumentException(what + " is not valid text: " + e.getMessage());
    }
  }

  public static String checked(String s, String what, int maxUtf8Bytes) {
    Objects.requireNonNull(s, what);
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " must not contain NUL");
    }
    int bytes = utf8(s, what).length;
    if (bytes > maxUtf8Bytes) {
      throw new IllegalArgumentException(what + " is " + bytes + " bytes of UTF-8, at most " + maxUtf8Bytes
          + " allowed");
    }
    return s;
  }
}
