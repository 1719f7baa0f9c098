package dev.otc.e2ee.reference;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CTRModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The AEAD of each suite (FORMAT.md sec. 4): AES-GCM for 4 and 5, RFC 9605 sec. 4.5.1 AES-CTR +
 * truncated HMAC-SHA256 for 1 to 3. Output is ciphertext || tag.
 */
public final class Aead {
    private static final int CTR_ENC_KEY_SIZE = 16;

    private Aead() {
    }

    public static byte[] seal(Suite suite, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        checkSizes(suite, key, nonce);
        if (suite.isGcm()) {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(true, new AEADParameters(new KeyParameter(key), suite.tagSize() * 8, nonce, aad));
            byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
            int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
            try {
                gcm.doFinal(out, n);
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("GCM encryption cannot fail", e);
            }
            return out;
        }
        byte[] out = new byte[plaintext.length + suite.tagSize()];
        ctr(key, nonce, plaintext, 0, plaintext.length, out);
        byte[] tag = ctrHmacTag(suite, key, nonce, aad, out, plaintext.length);
        System.arraycopy(tag, 0, out, plaintext.length, suite.tagSize());
        return out;
    }

    /** Plaintext, or AUTHENTICATION_FAILED; nothing unverified is ever returned. */
    public static byte[] open(Suite suite, byte[] key, byte[] nonce, byte[] aad, byte[] sealed)
            throws FrameRejectedException {
        checkSizes(suite, key, nonce);
        if (sealed.length < suite.tagSize()) {
            throw new FrameRejectedException(FrameRejectedException.Reason.AUTHENTICATION_FAILED);
        }
        if (suite.isGcm()) {
            GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
            gcm.init(false, new AEADParameters(new KeyParameter(key), suite.tagSize() * 8, nonce, aad));
            // Bouncy Castle writes plaintext before it checks the tag: decrypt into a scratch buffer.
            byte[] out = new byte[gcm.getOutputSize(sealed.length)];
            int n = gcm.processBytes(sealed, 0, sealed.length, out, 0);
            try {
                gcm.doFinal(out, n);
            } catch (InvalidCipherTextException e) {
                Arrays.fill(out, (byte) 0);
                throw new FrameRejectedException(FrameRejectedException.Reason.AUTHENTICATION_FAILED);
            }
            return out;
        }
        int ctLen = sealed.length - suite.tagSize();
        byte[] expected = ctrHmacTag(suite, key, nonce, aad, sealed, ctLen);
        byte[] received = Arrays.copyOfRange(sealed, ctLen, sealed.length);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(suite.tagSize(), expected, 0, received, 0)) {
            throw new FrameRejectedException(FrameRejectedException.Reason.AUTHENTICATION_FAILED);
        }
        byte[] out = new byte[ctLen];
        ctr(key, nonce, sealed, 0, ctLen, out);
        return out;
    }

    private static void checkSizes(Suite suite, byte[] key, byte[] nonce) {
        if (key.length != suite.keySize()) {
            throw new IllegalArgumentException("key must be " + suite.keySize() + " bytes for " + suite);
        }
        if (nonce.length != suite.nonceSize()) {
            throw new IllegalArgumentException("nonce must be " + suite.nonceSize() + " bytes");
        }
    }

    private static void ctr(byte[] key, byte[] nonce, byte[] in, int off, int len, byte[] out) {
        CTRModeCipher ctr = SICBlockCipher.newInstance(AESEngine.newInstance());
        byte[] counterBlock = Arrays.copyOf(nonce, 16);
        ctr.init(true, new ParametersWithIV(new KeyParameter(key, 0, CTR_ENC_KEY_SIZE), counterBlock));
        ctr.processBytes(in, off, len, out, 0);
    }

    private static byte[] ctrHmacTag(Suite suite, byte[] key, byte[] nonce, byte[] aad, byte[] ct, int ctLen) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(key, CTR_ENC_KEY_SIZE, key.length - CTR_ENC_KEY_SIZE));
        hmac.update(Bytes.be64(aad.length), 0, 8);
        hmac.update(Bytes.be64(ctLen), 0, 8);
        hmac.update(Bytes.be64(suite.tagSize()), 0, 8);
        hmac.update(nonce, 0, nonce.length);
        hmac.update(aad, 0, aad.length);
        hmac.update(ct, 0, ctLen);
        byte[] full = new byte[hmac.getMacSize()];
        hmac.doFinal(full, 0);
        return full;
    }
}
