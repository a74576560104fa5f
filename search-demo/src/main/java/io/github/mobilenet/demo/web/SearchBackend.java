package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecodeException;
import java.util.List;
import java.util.Optional;

/**
 * What the web server needs from an image index. The server never sees how vectors are stored; it
 * asks for hits by image bytes or by id, near-duplicate groups, and the stored facts of one image.
 * Implementations are thread-safe: the server calls them from several request threads at once.
 */
public interface SearchBackend extends AutoCloseable {
  /** Facts about the index for the page header and {@code GET /api/stats}. */
  IndexFacts facts();

  /**
   * The {@code k} images most similar to an encoded image, best first.
   *
   * @param filters every hit must meet all of these (empty: no filter)
   * @throws ImageDecodeException when the bytes are not a decodable image
   */
  List<Hit> searchByImage(byte[] encoded, int k, List<TagFilter> filters);

  /**
   * The {@code k} images most similar to an indexed image (which is its own first hit), best first.
   *
   * @param filters every hit must meet all of these (empty: no filter)
   * @throws UnknownImageException when no indexed image has this id
   */
  List<Hit> searchById(String id, int k, List<TagFilter> filters);

  /**
   * Groups of near-identical images (two or more each), every pair linked at {@code threshold} or
   * above.
   */
  List<List<Hit>> duplicates(double threshold);

  /** The indexed image with this id, if any. */
  Optional<IndexedImage> image(String id);

  /** Indexed images in a stable order (by path), for browsing. */
  List<IndexedImage> images(int offset, int limit);

  @Override
  void close();

  /** No indexed image has the id a request named. */
  final class UnknownImageException extends RuntimeException {
    public UnknownImageException(String id) {
      super("no indexed image has id '" + id + "'");
    }
  }
}
