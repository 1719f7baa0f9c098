package dev.otc.e2ee.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The published artifacts work on their own: a separate JVM with only the java-api, bindings,
 * javacpp and platform jars on its class path (no java.library.path, a fresh JavaCPP cache)
 * encrypts and decrypts a frame; without the platform jar the error names the missing artifact.
 */
class PlatformJarIT {
  private static final Path LIB = Path.of(System.getProperty("otc.it.lib"));
  private static final Path PLATFORM_JAR = Path.of(System.getProperty("otc.it.platformJar"));
  private static final Path PROGRAM = Path.of(System.getProperty("otc.it.program"));
  private static final Path WORK = Path.of(System.getProperty("otc.it.work"));

  private record Result(int exitCode, String output) {}

  private static Result run(boolean withPlatformJar, String cacheName) throws IOException, InterruptedException {
    List<String> cp = new ArrayList<>(List.of(
        LIB.resolve("otc-e2ee.jar").toString(),
        LIB.resolve("otc-e2ee-bindings.jar").toString(),
        LIB.resolve("javacpp.jar").toString()));
    if (withPlatformJar) {
      cp.add(PLATFORM_JAR.toString());
    }
    Path cache = WORK.resolve(cacheName);
    Files.createDirectories(cache);
    List<String> cmd = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.library.path=" + WORK.resolve("no-such-dir"),
        "-Dorg.bytedeco.javacpp.cachedir=" + cache,
        "-cp", String.join(java.io.File.pathSeparator, cp),
        PROGRAM.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("separate JVM did not finish in 120 s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void platformJarHoldsBothLibrariesWhereTheLoaderLooks() throws IOException {
    try (JarFile jar = new JarFile(PLATFORM_JAR.toFile())) {
      assertThat(jar.getEntry("dev/otc/e2ee/bindings/linux-x86_64/libjniotc.so")).isNotNull();
      assertThat(jar.getEntry("dev/otc/e2ee/bindings/linux-x86_64/libotc.so")).isNotNull();
    }
  }

  @Test
  void separateJvmEncryptsAndDecryptsWithOnlyTheJars() throws Exception {
    Result r = run(true, "cache-with-platform");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("supported=true")
        .contains("equal=true")
        .contains("text=platform jar round trip");
  }

  @Test
  void withoutThePlatformJarTheErrorNamesTheArtifact() throws Exception {
    Result r = run(false, "cache-without-platform");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
    assertThat(r.output()).contains("LOAD-ERROR").contains("dev.otc:otc-e2ee-platform-linux-x86_64");
  }
}
