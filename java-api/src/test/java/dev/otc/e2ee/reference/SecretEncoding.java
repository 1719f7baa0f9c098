package dev.otc.e2ee.reference;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Secret validation of FORMAT.md sec. 1: well-formed UTF-8, no U+0000, 8 to 256 code points.
 * Exceptions never carry the secret, only what rule it broke.
 */
public final class SecretEncoding {
    public static final int MIN_CODE_POINTS = 8;
    public static final int MAX_CODE_POINTS = 256;

    private SecretEncoding() {
    }

    /** The UTF-8 bytes of a valid secret given as a Java string. */
    public static byte[] utf8(String secret) {
        if (secret == null) {
            throw new InvalidSecretException("secret is null");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < secret.length()
                    && Character.isLowSurrogate(secret.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // getBytes would silently turn it into '?', i.e. into another secret.
                throw new InvalidSecretException("secret contains an unpaired surrogate");
            }
        }
        checkCodePoints(secret);
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Checks secret bytes; the JDK decoder with REPORT is strict RFC 3629 (overlongs, surrogates, > U+10FFFF). */
    public static void validate(byte[] utf8) {
        if (utf8 == null) {
            throw new InvalidSecretException("secret is null");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars;
        try {
            chars = decoder.decode(ByteBuffer.wrap(utf8));
        } catch (CharacterCodingException e) {
            throw new InvalidSecretException("secret is not well-formed UTF-8");
        }
        try {
            checkCodePoints(chars);
        } finally {
            chars.clear();
            while (chars.hasRemaining()) {
                chars.put('\0');
            }
        }
    }

    public static boolean isValid(byte[] utf8) {
        try {
            validate(utf8);
            return true;
        } catch (InvalidSecretException e) {
            return false;
        }
    }

    public static boolean isValid(String secret) {
        try {
            utf8(secret);
            return true;
        } catch (InvalidSecretException e) {
            return false;
        }
    }

    private static void checkCodePoints(CharSequence text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new InvalidSecretException("secret contains U+0000");
            }
            if (!Character.isLowSurrogate(c)) {
                count++;
            }
        }
        if (count < MIN_CODE_POINTS || count > MAX_CODE_POINTS) {
            throw new InvalidSecretException("secret must have " + MIN_CODE_POINTS + " to " + MAX_CODE_POINTS
                    + " code points, has " + count);
        }
    }

    /** A secret that FORMAT.md sec. 1 rejects. */
    public static final class InvalidSecretException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSecretException(String reason) {
            super(reason);
        }
    }
}
