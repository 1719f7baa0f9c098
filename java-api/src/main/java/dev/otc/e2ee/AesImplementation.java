package dev.otc.e2ee;

/** The AES implementation the crypto engine selected on this CPU ({@code otc_aes_implementation}). */
public enum AesImplementation {
  /** Constant-time software AES, no CPU instructions. */
  PORTABLE(0),
  /** AES-NI with PCLMULQDQ. */
  AES_NI(1),
  /** AES-NI plus VAES/VPCLMULQDQ vector instructions. */
  VAES(2),
  /** ARMv8 Cryptography Extensions: AES and PMULL instructions (arm64). */
  ARMV8_CE(3);

  private final int code;

  AesImplementation(int code) {
    this.code = code;
  }

  /** The C API's number. */
  public int code() {
    return code;
  }

  static AesImplementation fromCode(int code) {
    for (AesImplementation a : values()) {
      if (a.code == code) {
        return a;
      }
    }
    throw new IllegalStateException("native library reported an unknown AES implementation " + code);
  }
}
