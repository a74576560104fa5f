package io.github.mobilenet.demo.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams one CLI run uses; tests pass their own so that nothing touches {@code
 * System.in/out/err}.
 */
record Streams(InputStream in, PrintStream out, PrintStream err) {}
