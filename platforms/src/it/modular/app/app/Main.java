package app;

import dev.otc.e2ee.FrameCryptor;
import dev.otc.e2ee.media.VideoFormat;
import dev.otc.e2ee.media.VideoFrame;
import java.nio.charset.StandardCharsets;

/** A frame round trip from a named module, with every jar on the module path. */
public class Main {
  public static void main(String[] args) {
    byte[] payload = "module path round trip".getBytes(StandardCharsets.UTF_8);
    try (FrameCryptor sender = FrameCryptor.create("modular-it");
        FrameCryptor receiver = FrameCryptor.create("modular-it")) {
      sender.setEncryptionSecret("modular it secret");
      receiver.setEncryptionSecret("modular it secret");
      byte[] back = receiver.decrypt(sender.encrypt(payload));
      System.out.println("app=" + Main.class.getModule().getName()
          + " api=" + FrameCryptor.class.getModule().getName()
          + " text=" + new String(back, StandardCharsets.UTF_8));
    }
    // The raw-media API is exported too.
    VideoFrame frame = VideoFrame.allocate(VideoFormat.I420, 64, 48);
    System.out.println("media=" + VideoFrame.class.getModule().getName() + " frame=" + frame.format() + " "
        + frame.width() + "x" + frame.height());
  }
}
