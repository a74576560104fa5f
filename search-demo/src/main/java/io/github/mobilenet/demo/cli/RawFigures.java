package io.github.mobilenet.demo.cli;

/**
 * What {@code bench} (a) and (b) measured at its batch size, for the sections that compare with
 * them: (a)'s img/s and CPU ms per image, (b)'s img/s, and (a) run as {@code lanes} sessions at
 * once (NaN and 0 lanes when not measured).
 */
record RawFigures(
    double rate, double cpuMs, double extractRate, double lanesRate, double lanesCpuMs, int lanes) {

  /** Nothing measured: sections skipped by {@code --only}. */
  static final RawFigures NONE = new RawFigures(Double.NaN, Double.NaN, Double.NaN);

  RawFigures(double rate, double cpuMs, double extractRate) {
    this(rate, cpuMs, extractRate, Double.NaN, Double.NaN, 0);
  }

  RawFigures withLanes(double lanesRate, double lanesCpuMs, int lanes) {
    return new RawFigures(rate, cpuMs, extractRate, lanesRate, lanesCpuMs, lanes);
  }

  boolean hasLanes() {
    return lanes > 1;
  }
}
