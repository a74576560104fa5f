package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.embeddings.job.IndexingProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  @Test
  void plainLinesForLogsAndRedrawnLineForTerminals() {
    ByteArrayOutputStream plainBytes = new ByteArrayOutputStream();
    ProgressPrinter plain =
        new ProgressPrinter(
            new PrintStream(plainBytes, true, StandardCharsets.UTF_8),
            ProgressPrinter.Mode.PLAIN,
            0);
    plain.started(10);
    plain.progress(new IndexingProgress(4, 10, 3, 1, 2_000_000_000L));
    plain.committed(3);
    assertEquals(
        "index: 10 files to check\n"
            + "index: 4/10 files, 3 embedded, 1 failed, 2.0 files/s, ETA 0:03\n"
            + "index: committed, 3 documents\n",
        plainBytes.toString(StandardCharsets.UTF_8));

    ByteArrayOutputStream ttyBytes = new ByteArrayOutputStream();
    ProgressPrinter tty =
        new ProgressPrinter(
            new PrintStream(ttyBytes, true, StandardCharsets.UTF_8), ProgressPrinter.Mode.TTY, 10);
    tty.started(10);
    tty.progress(
        new IndexingProgress(10, 10, 10, 0, 4_000_000_000L)); // the last file always redraws
    tty.committed(10);
    tty.finished(null);
    assertEquals(
        "\r10/10 files, 10 embedded, 0 failed, 2.5 files/s, ETA 0:00   \n",
        ttyBytes.toString(StandardCharsets.UTF_8));
    // the augmentation pass starts below the file line, then redraws its own line in place
    ByteArrayOutputStream augmentBytes = new ByteArrayOutputStream();
    ProgressPrinter augment =
        new ProgressPrinter(
            new PrintStream(augmentBytes, true, StandardCharsets.UTF_8),
            ProgressPrinter.Mode.TTY,
            10);
    augment.progress(new IndexingProgress(10, 10, 10, 0, 4_000_000_000L));
    augment.augmenting(0, 3);
    augment.augmenting(3, 3);
    assertEquals(
        "\r10/10 files, 10 embedded, 0 failed, 2.5 files/s, ETA 0:00   \n\raugmenting: 0/3 images   "
            + "\raugmenting: 3/3 images   \n",
        augmentBytes.toString(StandardCharsets.UTF_8));
    assertEquals("1:01:01", ProgressPrinter.duration(3661));
    assertEquals(ProgressPrinter.Mode.NONE, ProgressPrinter.parse("none"));
    assertTrue(ProgressPrinter.parse("auto") != ProgressPrinter.Mode.NONE);
  }
}
