package io.github.mobilenet.embeddings.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.mobilenet.core.image.ImageDecodeException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Failure codes are what scripts read: every decoding reason has one, and none changes. */
class IndexingFailureTest {

  @ParameterizedTest
  @EnumSource(ImageDecodeException.Reason.class)
  void everyDecodeReasonMapsToTheCodeOfItsName(ImageDecodeException.Reason decode) {
    assertEquals(decode.name(), IndexingFailure.Reason.of(decode).name());
  }

  @Test
  void theCodesAreStable() {
    assertEquals(
        List.of(
            "empty",
            "not_an_image",
            "unsupported_format",
            "truncated",
            "corrupt",
            "too_large",
            "io_error",
            "not_a_regular_file",
            "walk_error",
            "changed_while_indexing",
            "error"),
        Arrays.stream(IndexingFailure.Reason.values()).map(IndexingFailure.Reason::code).toList());
  }
}
