/**
 * The {@code mobilenet} command line: one class per command, shared options, JSON output and
 * progress lines.
 */
package io.github.mobilenet.demo.cli;
