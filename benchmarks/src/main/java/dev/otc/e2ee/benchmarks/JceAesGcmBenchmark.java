package dev.otc.e2ee.benchmarks;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * (c) Bare AES-256-GCM of the JDK's SunJCE provider, per frame: {@code Cipher.init} with a fresh
 * nonce, {@code updateAAD}, {@code doFinal} into a caller-owned array: a lower bound for what pure
 * Java can do with the JDK alone (see {@link BareAesGcmBenchmark}).
 */
public class JceAesGcmBenchmark extends BareAesGcmBenchmark {
    private Cipher cipher;
    private SecretKeySpec key;

    @Override
    protected void prepare(byte[] keyBytes) throws GeneralSecurityException {
        key = new SecretKeySpec(keyBytes, "AES");
        cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    }

    @Override
    protected int seal(byte[] nonce, byte[] in, int len, byte[] out) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(in, 0, len, out, 0);
    }

    @Override
    protected int open(byte[] nonce, byte[] in, int len, byte[] out) throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(in, 0, len, out, 0);
    }
}
