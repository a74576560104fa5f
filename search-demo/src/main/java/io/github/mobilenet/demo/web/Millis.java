package io.github.mobilenet.demo.web;

/** Elapsed time as answers report it: milliseconds with two decimals. */
final class Millis {
  private Millis() {}

  static double since(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
  }
}
