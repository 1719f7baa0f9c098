package dev.otc.e2ee.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.otc.e2ee.reference.Rejections.assertRejected;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference implementation against every vector of testvectors/sframe/rfc9605-test-vectors.json. */
class ReferenceVectorsTest {
    private static JsonNode vectors;

    @BeforeAll
    static void load() throws IOException {
        vectors = new ObjectMapper().readTree(testVectorDir().resolve("sframe/rfc9605-test-vectors.json").toFile());
    }

    /** The build names the directory; an IDE run may start anywhere below the root: look upwards. */
    static Path testVectorDir() {
        String configured = System.getProperty("otc.testvectors");
        if (configured != null && Files.isDirectory(Path.of(configured, "sframe"))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testvectors");
            if (Files.isDirectory(candidate.resolve("sframe"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("testvectors/ not found above " + Path.of("").toAbsolutePath());
    }

    private static long unsigned(JsonNode n) {
        return Long.parseUnsignedLong(n.asText());
    }

    private static byte[] hex(JsonNode n, String field) {
        return Hex.decode(n.get(field).asText());
    }

    @Test
    void allHeaderVectorsEncodeAndDecode() throws Exception {
        JsonNode headers = vectors.get("header");
        assertThat(headers).hasSize(289);
        for (JsonNode v : headers) {
            long kid = unsigned(v.get("kid"));
            long ctr = unsigned(v.get("ctr"));
            byte[] encoded = hex(v, "encoded");
            assertThat(Header.encode(kid, ctr)).as("encode kid=%s ctr=%s", v.get("kid"), v.get("ctr")).isEqualTo(encoded);

            byte[] withPayload = Arrays.copyOf(encoded, encoded.length + 5);
            Header decoded = Header.decode(withPayload);
            assertThat(decoded).isEqualTo(new Header(kid, ctr, encoded.length));

            // Every strict prefix of a header is truncated, hence malformed.
            for (int len = 0; len < encoded.length; len++) {
                byte[] prefix = Arrays.copyOf(encoded, len);
                assertRejected(() -> Header.decode(prefix), FrameRejectedException.Reason.MALFORMED);
            }
        }
    }

    @Test
    void aesCtrHmacVectorsSealAndOpen() throws Exception {
        JsonNode cases = vectors.get("aes_ctr_hmac");
        assertThat(cases).hasSize(3);
        for (JsonNode v : cases) {
            Suite suite = Suite.fromId(v.get("cipher_suite").asInt());
            byte[] key = hex(v, "key");
            assertThat(key).isEqualTo(concat(hex(v, "enc_key"), hex(v, "auth_key")));
            byte[] nonce = hex(v, "nonce");
            byte[] aad = hex(v, "aad");
            byte[] pt = hex(v, "pt");
            byte[] ct = hex(v, "ct");
            assertThat(Aead.seal(suite, key, nonce, aad, pt)).as("suite %s", suite).isEqualTo(ct);
            assertThat(Aead.open(suite, key, nonce, aad, ct)).isEqualTo(pt);

            byte[] badTag = ct.clone();
            badTag[badTag.length - 1] ^= 1;
            assertRejected(() -> Aead.open(suite, key, nonce, aad, badTag), FrameRejectedException.Reason.AUTHENTICATION_FAILED);
            byte[] badAad = aad.clone();
            badAad[0] ^= (byte) 0x80;
            assertRejected(() -> Aead.open(suite, key, nonce, badAad, ct), FrameRejectedException.Reason.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void sframeVectorsKeyScheduleProtectAndUnprotect() throws Exception {
        JsonNode cases = vectors.get("sframe");
        assertThat(cases).hasSize(5);
        for (JsonNode v : cases) {
            Suite suite = Suite.fromId(v.get("cipher_suite").asInt());
            long kid = unsigned(v.get("kid"));
            long ctr = unsigned(v.get("ctr"));
            byte[] baseKey = hex(v, "base_key");
            byte[] context = concat(Bytes.be64(kid), Bytes.be16(suite.id()));
            assertThat(concat(Bytes.ascii("SFrame 1.0 Secret key "), context)).isEqualTo(hex(v, "sframe_key_label"));
            assertThat(concat(Bytes.ascii("SFrame 1.0 Secret salt "), context)).isEqualTo(hex(v, "sframe_salt_label"));

            assertThat(KeySchedule.sframeSecret(suite, baseKey)).as("secret, %s", suite).isEqualTo(hex(v, "sframe_secret"));
            KeySchedule.KeyAndSalt keys = KeySchedule.derive(suite, kid, baseKey);
            assertThat(keys.key()).as("key, %s", suite).isEqualTo(hex(v, "sframe_key"));
            assertThat(keys.salt()).as("salt, %s", suite).isEqualTo(hex(v, "sframe_salt"));

            byte[] metadata = hex(v, "metadata");
            assertThat(SFrame.nonce(keys.salt(), ctr)).isEqualTo(hex(v, "nonce"));
            assertThat(concat(Header.encode(kid, ctr), metadata)).isEqualTo(hex(v, "aad"));

            byte[] pt = hex(v, "pt");
            byte[] ct = hex(v, "ct");
            assertThat(SFrame.protect(suite, keys, kid, ctr, metadata, pt)).as("frame, %s", suite).isEqualTo(ct);
            Header header = SFrame.parse(suite, ct);
            assertThat(header.kid()).isEqualTo(kid);
            assertThat(header.ctr()).isEqualTo(ctr);
            assertThat(SFrame.unprotect(suite, keys, header, metadata, ct)).isEqualTo(pt);

            byte[] otherMetadata = metadata.clone();
            otherMetadata[otherMetadata.length - 1] ^= 1;
            assertRejected(() -> SFrame.unprotect(suite, keys, header, otherMetadata, ct),
                    FrameRejectedException.Reason.AUTHENTICATION_FAILED);
            byte[] truncated = Arrays.copyOf(ct, header.length() + suite.tagSize() - 1);
            assertRejected(() -> SFrame.parse(suite, truncated), FrameRejectedException.Reason.MALFORMED);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return Bytes.concat(a, b);
    }
}
