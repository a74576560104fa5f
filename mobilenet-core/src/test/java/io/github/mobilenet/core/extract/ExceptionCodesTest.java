package io.github.mobilenet.core.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.MobileNetException;
import io.github.mobilenet.core.MobileNetException.ErrorCode;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageSource;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Callers tell failures apart by code and input, without parsing messages. */
class ExceptionCodesTest {
  @Test
  void badImageInAStreamIsAnImageDecodeCodeNamingIt() {
    try (FeatureExtractor fx = FeatureExtractor.create()) {
      List<ExtractionResult> results = new ArrayList<>();
      fx.extractEach(
          List.of(ImageSource.of("text".getBytes(), "notes.jpg")).iterator(),
          "pooled",
          1,
          results::add);
      MobileNetException e = results.get(0).error();
      assertEquals(ErrorCode.IMAGE_DECODE, e.code());
      assertEquals("notes.jpg", e.input());
      assertEquals(ImageDecodeException.Reason.NOT_AN_IMAGE, ((ImageDecodeException) e).reason());
    }
  }

  @Test
  void interruptedStreamHasItsCodeAndTheImageItWaitedFor() {
    CountDownLatch never = new CountDownLatch(1);
    // Decoding this image waits until the test ends, so the stream is sure to be waiting for it.
    BufferedImage stuck =
        new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB) {
          @Override
          public int getWidth() {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.getWidth();
          }
        };
    ImageSource source = ImageSource.of(stuck, "stuck.png");
    try (FeatureExtractor fx = FeatureExtractor.create()) {
      List<ExtractionResult> results = new ArrayList<>();
      Thread.currentThread().interrupt();
      MobileNetException e;
      try {
        e =
            assertThrows(
                MobileNetException.class,
                () -> fx.extractEach(List.of(source).iterator(), "pooled", 1, results::add));
      } finally {
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        never.countDown();
      }
      assertEquals(ErrorCode.INTERRUPTED, e.code());
      assertEquals("stuck.png", e.input());
      assertEquals("interrupted while extracting features", e.getMessage());
      assertFalse(e instanceof ImageDecodeException);
      assertEquals(List.of(), results);
    }
  }

  @Test
  void messageOnlyConstructorsAreCodeOther() {
    MobileNetException e = new MobileNetException("index is locked");
    assertEquals(ErrorCode.OTHER, e.code());
    assertEquals(null, e.input());
  }
}
