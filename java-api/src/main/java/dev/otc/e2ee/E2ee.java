package dev.otc.e2ee;

import dev.otc.e2ee.bindings.global.otc;
import dev.otc.e2ee.internal.NativeLibrary;

/** Version and capability queries of the loaded native library. */
public final class E2ee {
  private E2ee() {}

  /**
   * Whether end-to-end encryption works in this process: the crypto engine initialised and passed
   * its known-answer self test (the Vonage Video SDKs' {@code hasEndToEndEncryptionSupport()}).
   *
   * @throws UnsatisfiedLinkError naming the platform jar when the natives are not on the class path
   */
  public static boolean isSupported() {
    NativeLibrary.ensureLoaded();
    return otc.otc_e2ee_is_supported() != 0;
  }

  /** The native library's version, e.g. "0.1.0". */
  public static String version() {
    NativeLibrary.ensureLoaded();
    return otc.otc_version().getString();
  }

  /**
   * The platform the loaded native library was built for, in JavaCPP's naming (e.g. {@code
   * linux-x86_64}): tells which natives jar the loader picked.
   */
  public static String buildPlatform() {
    NativeLibrary.ensureLoaded();
    return otc.otc_build_platform().getString();
  }

  /** Version string of the crypto library linked into the native library, e.g. "OpenSSL 3.0.x ...". */
  public static String cryptoLibraryVersion() {
    NativeLibrary.ensureLoaded();
    return otc.otc_crypto_library_version().getString();
  }

  /** Frame format and KDF version (docs/FORMAT.md); peers with another number cannot interoperate. */
  public static int formatVersion() {
    NativeLibrary.ensureLoaded();
    return otc.otc_e2ee_format_version();
  }

  /**
   * The AES-GCM engine in use, for diagnosis and logs: e.g. {@code "ipsec-mb VAES AVX-512"},
   * {@code "ipsec-mb AES-NI AVX2"}, {@code "OpenSSL AES-NI"} or {@code "OpenSSL portable"}. The
   * environment variable {@code OTC_AES_ENGINE=openssl|sse|avx2|avx512}, read when the library
   * loads, forces one (ignored when this build or CPU cannot run it).
   */
  public static String aesEngine() {
    NativeLibrary.ensureLoaded();
    return otc.otc_aes_engine_name().getString();
  }

  /** Which AES implementation the engine uses on this CPU. */
  public static AesImplementation aesImplementation() {
    NativeLibrary.ensureLoaded();
    return AesImplementation.fromCode(otc.otc_aes_implementation_in_use());
  }
}
