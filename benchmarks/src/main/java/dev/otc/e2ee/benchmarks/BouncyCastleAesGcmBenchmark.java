package dev.otc.e2ee.benchmarks;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * (d) Bare AES-256-GCM of Bouncy Castle's low-level API (pure Java AES engine, default GCM
 * multiplier), per frame with a fresh nonce (see {@link BareAesGcmBenchmark}). The key schedule and
 * the GHASH tables are prepared once (AEADParameters with a null key reuses them), the fair
 * counterpart of the native core's prepared cipher context.
 */
public class BouncyCastleAesGcmBenchmark extends BareAesGcmBenchmark {
    private GCMModeCipher encryptor;
    private GCMModeCipher decryptor;

    @Override
    protected void prepare(byte[] keyBytes) {
        KeyParameter key = new KeyParameter(keyBytes);
        // The key once, with a nonce no frame uses (GCM refuses a repeated one); frames pass null.
        byte[] setupNonce = new byte[12];
        encryptor = GCMBlockCipher.newInstance(AESEngine.newInstance());
        encryptor.init(true, new AEADParameters(key, TAG_BITS, setupNonce, aad));
        decryptor = GCMBlockCipher.newInstance(AESEngine.newInstance());
        decryptor.init(false, new AEADParameters(key, TAG_BITS, setupNonce, aad));
    }

    @Override
    protected int seal(byte[] nonce, byte[] in, int len, byte[] out) throws InvalidCipherTextException {
        encryptor.init(true, new AEADParameters(null, TAG_BITS, nonce, aad));
        int n = encryptor.processBytes(in, 0, len, out, 0);
        return n + encryptor.doFinal(out, n);
    }

    @Override
    protected int open(byte[] nonce, byte[] in, int len, byte[] out) throws InvalidCipherTextException {
        decryptor.init(false, new AEADParameters(null, TAG_BITS, nonce, aad));
        int n = decryptor.processBytes(in, 0, len, out, 0);
        return n + decryptor.doFinal(out, n);
    }
}
