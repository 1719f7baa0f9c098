package dev.otc.e2ee.benchmarks;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;
import java.io.IOException;

/**
 * The frame-cryptor C functions bound through JNA direct mapping ({@link Native#register}), to
 * compare JNA's call overhead with the JavaCPP bindings on the very same C code. size_t is mapped
 * to long: this benchmark targets 64-bit Linux only.
 *
 * <p>The library is the libotc.so.0 of the platform jar (extracted by JNA), or the file named by the
 * system property {@code otc.jna.library}.
 */
final class OtcJna {
    private static final String RESOURCE = "/dev/otc/e2ee/bindings/linux-x86_64/libotc.so.0";

    static {
        Native.register(OtcJna.class, NativeLibrary.getInstance(libraryPath()));
    }

    private OtcJna() {
    }

    private static String libraryPath() {
        String configured = System.getProperty("otc.jna.library");
        if (configured != null) {
            return configured;
        }
        try {
            File extracted = Native.extractFromResourcePath(RESOURCE, OtcJna.class.getClassLoader());
            return extracted.getAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException("libotc.so.0 not found at " + RESOURCE + " on the classpath"
                    + " (is dev.otc:otc-e2ee-platform there?); or set -Dotc.jna.library", e);
        }
    }

    static native Pointer otc_frame_cryptor_new(String sessionId, int cipherSuite);

    static native Pointer otc_frame_cryptor_new_sharing_keys(Pointer other);

    static native void otc_frame_cryptor_delete(Pointer cryptor);

    static native int otc_frame_cryptor_set_encryption_secret(Pointer cryptor, byte[] secretUtf8, long secretLen);

    static native long otc_frame_cryptor_max_overhead(Pointer cryptor);

    static native int otc_frame_cryptor_encrypt(Pointer cryptor, Pointer metadata, long metadataLen,
                                                Pointer plaintext, long plaintextLen,
                                                Pointer out, long outCapacity, Pointer outLen);

    static native int otc_frame_cryptor_decrypt(Pointer cryptor, Pointer metadata, long metadataLen,
                                                Pointer frame, long frameLen,
                                                Pointer out, long outCapacity, Pointer outLen);
}
