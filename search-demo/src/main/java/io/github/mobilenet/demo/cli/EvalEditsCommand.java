package io.github.mobilenet.demo.cli;

import io.github.mobilenet.eval.data.PhotoEdits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code eval edits}: writes each photo with nine edited copies, the near-duplicate test set. */
@Command(
    name = "edits",
    description = {
      "Writes photos with nine edited copies each, for eval dups.",
      "Each photo is copied to DIR/NAME/ with crop80, watermark, jpeg30, brighter, resize50,"
          + " reencode, exif6, hflip and rot90 copies, listed in DIR/LABELS (class = NAME); then"
          + " index DIR and run eval dups --labels DIR/LABELS."
    })
final class EvalEditsCommand extends PhotoSetCommand {
  @Override
  Path write(List<Path> files) throws IOException {
    return PhotoEdits.write(files, dir);
  }

  @Override
  int images(int sources) {
    return sources * (PhotoEdits.KINDS.size() + 1);
  }
}
