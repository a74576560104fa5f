package io.github.mobilenet.core.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whether ONNX Runtime's int8 kernels need {@code session.x64quantprecision = 1} on this CPU.
 *
 * <p>Without VNNI, its u8s8 kernels add pairs of uint8 × int8 products in int16 and saturate
 * (pooled cosine to float32 0.945 on an AVX2-only EPYC; 0.994 with the option). With VNNI ({@code
 * vpdpbusd} sums into int32) there is nothing to saturate, and the option halves int8 throughput
 * (AVX-512 VNNI EPYC: 330 against 620-670 img/s at batch 8), so it is set only where it is needed.
 * Where the CPU's features cannot be read (not Linux) it is set: correct first.
 *
 * <p>{@code -Dmobilenet.x64quantprecision=0|1} overrides the detection.
 */
final class QuantPrecision {
  /** System property overriding the detection: "1" (high precision) or "0" (fast kernels). */
  static final String PROPERTY = "mobilenet.x64quantprecision";

  /** CPU flags (Linux names) of instructions that sum uint8 × int8 products in int32. */
  private static final Set<String> INT32_DOT_PRODUCT =
      Set.of("avx512_vnni", "avx_vnni", "amx_int8");

  private static final String VALUE = decide(System.getProperty(PROPERTY), cpuFlags());

  private QuantPrecision() {}

  /** The value to give {@code session.x64quantprecision}: "1" unless the CPU has VNNI. */
  static String value() {
    return VALUE;
  }

  static String decide(String override, Set<String> flags) {
    if (override != null && !override.isBlank()) {
      String v = override.trim();
      if (v.equals("0") || v.equals("1")) {
        return v;
      }
      throw new IllegalArgumentException(
          "-D" + PROPERTY + " must be 0 or 1 (absent: detected from the CPU), not '" + v + "'");
    }
    for (String f : flags) {
      if (INT32_DOT_PRODUCT.contains(f)) {
        return "0";
      }
    }
    return "1";
  }

  /** The flags of the first CPU in /proc/cpuinfo, or none where that cannot be read. */
  static Set<String> cpuFlags() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Set.of();
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("flags"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT))
          .map(l -> Stream.of(l.split("\\s+")).collect(Collectors.toUnmodifiableSet()))
          .orElse(Set.of());
    } catch (IOException | RuntimeException e) {
      return Set.of();
    }
  }
}
