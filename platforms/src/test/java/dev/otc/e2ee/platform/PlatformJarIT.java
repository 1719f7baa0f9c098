package dev.otc.e2ee.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The published artifacts work on their own, as javacpp-presets' do: a separate JVM (no
 * java.library.path, a fresh JavaCPP cache) encrypts and decrypts a frame with the class path an
 * application gets from {@code dev.otc:otc-e2ee-platform}, and with {@code dev.otc:otc-e2ee} plus
 * the one natives jar of its platform; without a natives jar the error names both ways to fix it.
 */
class PlatformJarIT {
  private static final Path LIB = Path.of(System.getProperty("otc.it.lib"));
  private static final Path CONSUMER_CLASSPATH = Path.of(System.getProperty("otc.it.classpath"));
  private static final String PLATFORM = System.getProperty("otc.it.platform");
  private static final Path PROGRAM = Path.of(System.getProperty("otc.it.program"));
  private static final Path WORK = Path.of(System.getProperty("otc.it.work"));

  /** ELF e_machine of each Linux platform's machine code. */
  private static final Map<String, Integer> ELF_MACHINE = Map.of("linux-x86_64", 62, "linux-arm64", 183);

  private record Result(int exitCode, String output) {}

  private static Path nativesJar() {
    return LIB.resolve("otc-e2ee-bindings-" + PLATFORM + ".jar");
  }

  private static Result run(List<String> classPath, String cacheName) throws IOException, InterruptedException {
    Path cache = WORK.resolve(cacheName);
    Files.createDirectories(cache);
    List<String> cmd = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + WORK.resolve("no-such-dir"),
        "-Dorg.bytedeco.javacpp.cachedir=" + cache,
        "-cp", String.join(java.io.File.pathSeparator, classPath),
        PROGRAM.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("separate JVM did not finish in 120 s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static List<String> jars(String... names) {
    return Arrays.stream(names).map(n -> LIB.resolve(n).toString()).toList();
  }

  private static void assertRoundTrip(Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("supported=true")
        .contains("platform=" + PLATFORM)
        .contains("equal=true")
        .contains("text=platform jar round trip");
  }

  @Test
  void nativesJarHoldsBothLibrariesOfItsPlatformAndTheLicences() throws IOException {
    try (JarFile jar = new JarFile(nativesJar().toFile())) {
      String dir = "dev/otc/e2ee/bindings/" + PLATFORM + "/";
      for (String lib : List.of("libjniotc.so", "libotc.so")) {
        ZipEntry entry = jar.getEntry(dir + lib);
        assertThat(entry).as(dir + lib).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
          byte[] header = in.readNBytes(20);
          assertThat(Arrays.copyOf(header, 4)).as("ELF magic of " + lib).containsExactly(0x7f, 'E', 'L', 'F');
          int machine = (header[18] & 0xff) | (header[19] & 0xff) << 8;
          assertThat(machine).as("ELF e_machine of " + lib).isEqualTo(ELF_MACHINE.get(PLATFORM));
        }
      }
      assertThat(jar.getEntry("META-INF/otc-e2ee/LICENSE")).isNotNull();
      assertThat(jar.getEntry("META-INF/otc-e2ee/THIRD-PARTY-NOTICES.txt")).isNotNull();
      // Nothing of another platform, and no Java classes: those are in the main bindings jar.
      assertThat(jar.stream().map(ZipEntry::getName))
          .allMatch(n -> n.startsWith(dir) || n.startsWith("META-INF/") || n.equals("dev/")
              || n.equals("dev/otc/") || n.equals("dev/otc/e2ee/") || n.equals("dev/otc/e2ee/bindings/"));
    }
  }

  @Test
  void dependingOnThePlatformArtifactIsEnough() throws Exception {
    List<String> cp = Arrays.asList(Files.readString(CONSUMER_CLASSPATH).trim().split(java.io.File.pathSeparator));
    assertThat(cp).anyMatch(e -> e.contains("otc-e2ee-bindings") && e.contains(PLATFORM));
    assertRoundTrip(run(cp, "cache-platform-artifact"));
  }

  @Test
  void theJavaApiPlusOneClassifierJarIsEnough() throws Exception {
    assertRoundTrip(run(jars("otc-e2ee.jar", "otc-e2ee-bindings.jar", "javacpp.jar",
        nativesJar().getFileName().toString()), "cache-one-classifier"));
  }

  @Test
  void withoutANativesJarTheErrorNamesTheClassifierAndThePlatformArtifact() throws Exception {
    Result r = run(jars("otc-e2ee.jar", "otc-e2ee-bindings.jar", "javacpp.jar"), "cache-without-natives");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
    assertThat(r.output())
        .contains("LOAD-ERROR")
        .contains("dev.otc:otc-e2ee-bindings:jar:" + PLATFORM)
        .contains("classifier " + PLATFORM)
        .contains("dev.otc:otc-e2ee-platform");
  }
}
