/**
 * The {@code mobilenet} command line: one picocli {@code @Command} class per command, mixins for
 * shared options, one place ({@code ErrorHandlers}) that turns failures into error lines and exit
 * codes, JSON output and progress lines.
 */
package io.github.mobilenet.demo.cli;
