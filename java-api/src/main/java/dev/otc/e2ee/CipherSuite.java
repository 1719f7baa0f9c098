package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;

/** The SFrame cipher suites of RFC 9605 (sec. 4.5), with their registry numbers. */
public enum CipherSuite {
  AES_128_CTR_HMAC_SHA256_80(1, 10),
  AES_128_CTR_HMAC_SHA256_64(2, 8),
  AES_128_CTR_HMAC_SHA256_32(3, 4),
  AES_128_GCM_SHA256_128(4, 16),
  AES_256_GCM_SHA512_128(5, 16);

  /** The suite used unless one is chosen: {@link #AES_256_GCM_SHA512_128}. */
  public static final CipherSuite DEFAULT = AES_256_GCM_SHA512_128;

  /** Largest SFrame header: config byte + 8 KID bytes + 8 CTR bytes. */
  static final int MAX_HEADER_SIZE = 17;

  private final int id;
  private final int tagSize;

  CipherSuite(int id, int tagSize) {
    this.id = id;
    this.tagSize = tagSize;
  }

  /** The RFC 9605 registry number (0x0001..0x0005). */
  public int id() {
    return id;
  }

  /** Authentication tag size in bytes. */
  public int tagSize() {
    return tagSize;
  }

  /** Largest number of bytes encryption adds to a frame: largest header plus the tag. */
  public int maxOverhead() {
    return MAX_HEADER_SIZE + tagSize;
  }

  /** The name the native library uses for this suite, e.g. "AES_256_GCM_SHA512_128". */
  public String nativeName() {
    NativeLibrary.ensureLoaded();
    return otc.otc_cipher_suite_name(id).getString();
  }

  /** @throws IllegalArgumentException for a number that is not one of the five suites */
  public static CipherSuite fromId(int id) {
    for (CipherSuite s : values()) {
      if (s.id == id) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown SFrame cipher suite " + id);
  }
}
