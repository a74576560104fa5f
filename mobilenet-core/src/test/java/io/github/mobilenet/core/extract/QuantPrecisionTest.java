package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantPrecisionTest {
  @Test
  void highPrecisionUnlessTheCpuSumsInt8ProductsInInt32() {
    assertEquals("1", QuantPrecision.decide(null, Set.of("sse2", "avx2", "fma")));
    assertEquals("1", QuantPrecision.decide(null, Set.of("avx512f", "avx512bw")));
    assertEquals("0", QuantPrecision.decide(null, Set.of("avx2", "avx512f", "avx512_vnni")));
    assertEquals("0", QuantPrecision.decide(null, Set.of("avx2", "avx_vnni")));
    // Unknown CPU (not Linux): the correct setting, not the fast one.
    assertEquals("1", QuantPrecision.decide(null, Set.of()));
  }

  @Test
  void thePropertyOverridesTheDetection() {
    assertEquals("1", QuantPrecision.decide("1", Set.of("avx512_vnni")));
    assertEquals("0", QuantPrecision.decide(" 0 ", Set.of("avx2")));
    assertEquals("0", QuantPrecision.decide("", Set.of("avx512_vnni")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> QuantPrecision.decide("fast", Set.of()));
    assertTrue(e.getMessage().contains("mobilenet.x64quantprecision"), e.getMessage());
    assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
  }

  @Test
  void readsThisMachinesFlags() {
    Set<String> flags = QuantPrecision.cpuFlags();
    if (System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64")) {
      assertTrue(flags.contains("sse2"), "x86-64 Linux flags without sse2: " + flags);
    }
    if (System.getProperty(QuantPrecision.PROPERTY) == null) {
      assertEquals(QuantPrecision.decide(null, flags), QuantPrecision.value());
    }
  }
}
