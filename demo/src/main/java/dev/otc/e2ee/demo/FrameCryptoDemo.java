package dev.otc.e2ee.demo;

import dev.otc.e2ee.CipherSuite;
import dev.otc.e2ee.E2ee;
import dev.otc.e2ee.EncryptionSecret;
import dev.otc.e2ee.FrameCryptor;
import dev.otc.e2ee.FrameCryptorStats;
import dev.otc.e2ee.OtcException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * End-to-end encryption of media frames without a router: a sender and a receiver that share
 * nothing but the secret and the session id. Prints sizes, overhead and outcomes; never the
 * secret or any key.
 */
public final class FrameCryptoDemo {
  private FrameCryptoDemo() {}

  /** A labelled sample frame of a plausible size for its codec. */
  private record Sample(String codec, String kind, int size) {}

  private static final List<Sample> SAMPLES = List.of(
      new Sample("VP8", "keyframe", 14_200),
      new Sample("VP8", "delta", 1_650),
      new Sample("VP9", "keyframe", 17_800),
      new Sample("VP9", "delta", 1_300),
      new Sample("H.264", "IDR", 22_400),
      new Sample("H.264", "P-frame", 2_100),
      new Sample("Opus", "20 ms", 120),
      new Sample("Opus", "20 ms DTX", 3));

  public static void main(String[] args) {
    System.out.printf(Locale.ROOT, "otc-e2ee %s, %s, AES engine %s, frame format v%d, E2EE supported: %s%n",
        E2ee.version(), E2ee.cryptoLibraryVersion(), E2ee.aesEngine(), E2ee.formatVersion(),
        E2ee.isSupported());

    SecureRandom random = new SecureRandom();
    String sessionId = "demo-session-" + Long.toHexString(random.nextLong());
    char[] secretChars = randomSecret(random);
    CipherSuite suite = CipherSuite.DEFAULT;
    System.out.printf(Locale.ROOT, "session %s, cipher suite %s (at most %d bytes added per frame)%n",
        sessionId, suite, suite.maxOverhead());

    try (EncryptionSecret secret = EncryptionSecret.of(secretChars);
        FrameCryptor sender = FrameCryptor.builder().sessionId(sessionId).cipherSuite(suite).build();
        FrameCryptor receiver = FrameCryptor.builder().sessionId(sessionId).cipherSuite(suite).build()) {
      Arrays.fill(secretChars, '\0');
      System.out.printf(Locale.ROOT, "key derivation (scrypt N=2^15, r=8, p=1), once per secret: sender %.1f ms, receiver %.1f ms%n",
          timeMillis(() -> sender.setEncryptionSecret(secret)), timeMillis(() -> receiver.setEncryptionSecret(secret)));

      System.out.printf(Locale.ROOT, "%n%-6s %-10s %10s %10s %9s  %s%n", "codec", "frame", "plaintext", "encrypted",
          "overhead", "receiver");
      Random content = new Random(42);
      long timestamp = 0;
      for (Sample s : SAMPLES) {
        byte[] payload = new byte[s.size()];
        content.nextBytes(payload);
        // Routing metadata travels in clear beside the frame; encrypting binds it to the payload.
        byte[] metadata = (s.codec() + ";" + s.kind() + ";ts=" + timestamp).getBytes(StandardCharsets.US_ASCII);
        timestamp += 33_333;
        byte[] frame = sender.encrypt(metadata, payload);
        String outcome;
        try {
          outcome = Arrays.equals(receiver.decrypt(metadata, frame), payload) ? "decrypted, identical" : "DIFFERENT";
        } catch (OtcException e) {
          outcome = e.errorCode().nativeName();
        }
        System.out.printf(Locale.ROOT, "%-6s %-10s %10d %10d %9d  %s%n", s.codec(), s.kind(), payload.length,
            frame.length, frame.length - payload.length, outcome);
      }

      byte[] metadata = "VP8;delta;ts=999".getBytes(StandardCharsets.US_ASCII);
      byte[] frame = sender.encrypt(metadata, new byte[1_000]);
      System.out.println();
      System.out.println("same frame twice:             " + outcome(receiver, metadata, frame) + ", then "
          + outcome(receiver, metadata, frame));
      byte[] tampered = sender.encrypt(metadata, new byte[1_000]);
      tampered[tampered.length / 2] ^= 1;
      System.out.println("one bit flipped:              " + outcome(receiver, metadata, tampered));
      byte[] moved = sender.encrypt(metadata, new byte[1_000]);
      System.out.println("metadata changed:             "
          + outcome(receiver, "VP8;keyframe;ts=999".getBytes(StandardCharsets.US_ASCII), moved));

      char[] otherChars = randomSecret(random);
      try (FrameCryptor stranger = FrameCryptor.builder().sessionId(sessionId).cipherSuite(suite).build()) {
        stranger.setEncryptionSecret(otherChars);
        Arrays.fill(otherChars, '\0');
        System.out.println("receiver with another secret: "
            + outcome(stranger, metadata, sender.encrypt(metadata, new byte[500])));
      }

      FrameCryptorStats stats = receiver.stats();
      System.out.printf(Locale.ROOT, "%nreceiver stats: %d decrypted, %d replayed, %d failed authentication, "
          + "%d secret mismatch%n", stats.framesDecrypted(), stats.replayed(), stats.authenticationFailed(),
          stats.secretMismatch());
    }
  }

  private static String outcome(FrameCryptor receiver, byte[] metadata, byte[] frame) {
    try {
      return "decrypted " + receiver.decrypt(metadata, frame).length + " bytes";
    } catch (OtcException e) {
      return e.errorCode().nativeName();
    }
  }

  /** 24 random letters and digits: a valid secret that exists only in this process. */
  private static char[] randomSecret(SecureRandom random) {
    String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    char[] s = new char[24];
    for (int i = 0; i < s.length; i++) {
      s[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return s;
  }

  private static double timeMillis(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return (System.nanoTime() - start) / 1e6;
  }
}
