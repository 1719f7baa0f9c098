package dev.otc.e2ee.internal.session;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Checks of strings that cross into C, where a NUL would silently cut them short. */
public final class Text {
  private Text() {}

  /**
   * @throws NullPointerException if {@code s} is null
   * @throws IllegalArgumentException if it holds a NUL or is longer than {@code maxUtf8Bytes} in UTF-8
   */
  public static String checked(String s, String what, int maxUtf8Bytes) {
    Objects.requireNonNull(s, what);
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " must not contain NUL");
    }
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxUtf8Bytes) {
      throw new IllegalArgumentException(what + " is " + bytes + " bytes of UTF-8, at most " + maxUtf8Bytes
          + " allowed");
    }
    return s;
  }
}
