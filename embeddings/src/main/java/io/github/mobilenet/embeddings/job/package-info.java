/**
 * The resumable indexing job: walk, decode, embed, write, commit periodically, augment; progress
 * events and the summary.
 */
package io.github.mobilenet.embeddings.job;
