package dev.otc.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Paths the build hands to the tests (surefire system properties) and the JSON vectors there. */
public final class TestFiles {
  private TestFiles() {}

  private static Path dir(String property, String fallback) {
    return Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
  }

  public static Path testVectors() {
    return dir("otc.testvectors", "../testvectors");
  }

  public static Path nativeInclude() {
    return dir("otc.native.include", "../native/include");
  }

  /** Directory holding libotc.so as the bindings module laid it out. */
  public static Path nativeLibDir() {
    return dir("otc.native.libdir", "../bindings/target/native/dev/otc/e2ee/bindings/linux-x86_64");
  }

  public static JsonNode json(String relative) {
    try {
      return new ObjectMapper().readTree(Files.readString(testVectors().resolve(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
