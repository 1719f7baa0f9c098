import dev.otc.e2ee.E2ee;
import dev.otc.e2ee.FrameCryptor;
import dev.otc.e2ee.bindings.global.otc;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Run by PlatformJarIT in a JVM whose class path holds only the published jars: what a user gets
 * from Maven. Prints one line per fact; exit code 3 when the natives cannot be loaded.
 */
public class FrameRoundTrip {
  public static void main(String[] args) {
    try {
      System.out.println("supported=" + E2ee.isSupported() + " version=" + E2ee.version()
          + " platform=" + E2ee.buildPlatform()
          + " arch=" + System.getProperty("os.arch")
          // The C API's own name: it covers every implementation the library can report.
          + " aes=" + otc.otc_aes_implementation_name(otc.otc_aes_implementation_in_use()).getString());
    } catch (UnsatisfiedLinkError e) {
      System.out.println("LOAD-ERROR: " + e.getMessage());
      System.exit(3);
    }
    byte[] payload = "platform jar round trip".getBytes(StandardCharsets.UTF_8);
    try (FrameCryptor sender = FrameCryptor.create("platform-it");
        FrameCryptor receiver = FrameCryptor.create("platform-it")) {
      sender.setEncryptionSecret("platform it secret");
      receiver.setEncryptionSecret("platform it secret");
      byte[] frame = sender.encrypt(payload);
      byte[] back = receiver.decrypt(frame);
      System.out.println("frame=" + frame.length + " plaintext=" + back.length
          + " equal=" + Arrays.equals(payload, back) + " text=" + new String(back, StandardCharsets.UTF_8));
    }
  }
}
