package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.embeddings.search.SearchHit;
import java.util.List;

/**
 * Near-identical images. The first member is the group's representative (the largest image, ties
 * broken by path); each member's score is its cosine similarity to the representative (1 for
 * itself), at least the threshold the group was made with.
 */
public record DuplicateGroup(List<SearchHit> members) {
  public DuplicateGroup {
    members = List.copyOf(members);
  }

  public int size() {
    return members.size();
  }
}
