package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.search.SearchHit;
import io.github.mobilenet.local.verify.Match;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the web server needs from an image index. The server never sees how vectors are stored; it
 * asks for hits by image bytes or by id, near-duplicate groups, and the stored facts of one image
 * (the index's own {@link ImageDoc}). Implementations are thread-safe: the server calls them from
 * several request threads at once.
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
  List<SearchHit> searchByImage(byte[] encoded, int k, List<TagFilter> filters);

  /**
   * The {@code k} images most similar to an indexed image (which is its own first hit), best first.
   *
   * @param filters every hit must meet all of these (empty: no filter)
   * @throws UnknownImageException when no indexed image has this id
   */
  List<SearchHit> searchById(String id, int k, List<TagFilter> filters);

  /**
   * Groups of near-identical images (two or more each), every pair linked at {@code threshold} or
   * above; each group's first member is its representative.
   */
  List<List<SearchHit>> duplicates(double threshold);

  /**
   * Verifies indexed image {@code a} (and its mirror image) against indexed image {@code b} by
   * local features: inlier point pairs in each image's upright pixels, homography and transform.
   *
   * @throws UnknownImageException when no indexed image has one of the ids
   */
  Match match(String a, String b);

  /**
   * Verifies an encoded image (an upload, with its mirror image) against indexed image {@code b}.
   *
   * @return the match and the upload's upright size, the frame of its points
   * @throws ImageDecodeException when the bytes are not a decodable image
   * @throws UnknownImageException when no indexed image has this id
   */
  UploadMatch matchUpload(byte[] encoded, String b);

  /** An upload's verification and its upright size. */
  record UploadMatch(Match match, int width, int height) {}

  /** The indexed image with this id, if any. */
  Optional<ImageDoc> image(String id);

  /** Indexed images in a stable order (by path), for browsing. */
  List<ImageDoc> images(int offset, int limit);

  /**
   * The deepest folder that holds every indexed file, or null when the index is empty: answers show
   * paths relative to it unless the operator chose otherwise.
   */
  Path commonFolder();

  @Override
  void close();

  /** No indexed image has the id a request named. */
  final class UnknownImageException extends RuntimeException {
    public UnknownImageException(String id) {
      super("no indexed image has id '" + id + "'");
    }
  }
}
