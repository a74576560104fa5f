package io.github.mobilenet.demo.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mobilenet.embeddings.index.ImageDoc;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The page in a real headless Chromium (Debian's chromium + chromium-driver): browse, upload a
 * photo, check the nearest neighbour, click a result, check the grid follows. Screenshots go to
 * target/screenshots/.
 */
class BrowserEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void uploadThenClickThrough() throws Exception {
    DemoFixture demo = DemoFixture.get();
    Path chromium =
        WebDriver.require(
            "Chromium",
            env("MOBILENET_CHROMIUM"),
            "/usr/bin/chromium",
            "/usr/lib/chromium/chromium",
            "/usr/bin/chromium-browser");
    Path chromedriver =
        WebDriver.require(
            "ChromeDriver",
            env("MOBILENET_CHROMEDRIVER"),
            "/usr/bin/chromedriver",
            "/usr/lib/chromium/chromedriver");
    Path target = Path.of("target").toAbsolutePath();
    Path shots = Files.createDirectories(target.resolve("screenshots"));
    Path profile =
        Files.createTempDirectory(
            Files.createDirectories(target.resolve("tmp")), "chromium-profile-");
    // A query that is not in the index: a smaller, re-encoded copy of the Kodak parrots.
    Path query = profile.resolveSibling("parrots_query.jpg");
    Files.write(query, WebApiTest.variant(demo.sample("test/kodak_kodim23.jpg"), 0.7, 0.75f));

    try (WebDriver browser =
        WebDriver.start(
            chromedriver, chromium, profile, 1280, 900, target.resolve("chromedriver.log"))) {
      browser.navigate(demo.server.uri().toString());

      // Browse: every indexed image is shown, facts in the header.
      WebDriver.await(
          "all 50 images on the page", WAIT, () -> count(browser, "#grid .card"), n -> n == 50);
      String facts = browser.text(browser.find("#facts"));
      assertTrue(
          facts.contains("50 images")
              && facts.contains("mobilenet_v2_1.0_224")
              && facts.contains(io.github.mobilenet.embeddings.index.IndexConfig.DEFAULT_LAYER)
              && facts.contains("augmented with 2 neighbours"),
          facts);

      // Upload: the original of the query comes first, its mirrored copy next.
      browser.sendKeys(browser.find("#file"), query.toString());
      List<String> names =
          WebDriver.await(
              "results for the upload",
              WAIT,
              () -> cardNames(browser),
              n -> n.size() == 10 && titleContains(browser, "your image"));
      assertEquals("kodak_kodim23.jpg", names.get(0), names.toString());
      assertEquals("parrots_mirrored.jpg", names.get(1), names.toString());
      assertEquals("parrots_query.jpg", browser.text(browser.find("#query-title")));
      assertTrue(browser.text(browser.find("#query-meta")).contains("JPEG"));
      waitForThumbnails(browser);
      save(browser.screenshot(), shots.resolve("upload.png"));

      // A failed upload: the error, and none of the previous results beneath it.
      Path notAnImage = profile.resolveSibling("not_a_photo.jpg");
      Files.writeString(notAnImage, "plain text, not an image");
      browser.sendKeys(browser.find("#file"), notAnImage.toString());
      WebDriver.await(
          "the upload's error",
          WAIT,
          () -> statusText(browser),
          t -> t.startsWith("error|") && t.contains("not an image"));
      assertEquals(0, count(browser, "#grid .card"), "results of the earlier upload are cleared");
      assertEquals("", browser.text(browser.find("#grid-title")));
      save(browser.screenshot(), shots.resolve("upload-failed.png"));

      // The same photo again: results come back.
      browser.sendKeys(browser.find("#file"), query.toString());
      assertEquals(
          names,
          WebDriver.await(
              "results for the second upload",
              WAIT,
              () -> cardNames(browser),
              n -> n.size() == 10 && titleContains(browser, "your image")));
      assertEquals("ok|", statusText(browser), "the error is gone");

      // "why?" on the mirrored copy: both images side by side, a line per verified point pair.
      browser.click(browser.findAll("#grid .card .why").get(1));
      String why =
          WebDriver.await(
              "the matched points of parrots_mirrored.jpg",
              WAIT,
              () -> whyText(browser),
              t -> t.contains("transform"));
      int lines =
          browser
              .script("return Number(document.querySelector('#why-canvas').dataset.lines)")
              .asInt();
      assertTrue(lines >= 60, "lines drawn: " + lines + " (" + why + ")");
      assertTrue(
          why.startsWith("ok|") && why.contains("hflip") && why.contains("the same photo"), why);
      assertTrue(why.contains(lines + " drawn"), why);
      assertEquals("Why parrots_mirrored.jpg?", browser.text(browser.find("#why-title")));
      // the canvas holds both images and the lines: far from blank
      assertTrue(
          browser
                  .script(
                      "const c = document.querySelector('#why-canvas');"
                          + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                          + " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;"
                          + " return n / (c.width * c.height)")
                  .asDouble()
              > 0.9);
      save(browser.screenshot(), shots.resolve("why.png"));
      browser.click(browser.find("#why-close"));
      WebDriver.await(
          "the why view closed", WAIT, () -> whyText(browser), t -> t.startsWith("closed|"));

      // Click a result: the grid now shows that image's neighbours, itself first.
      int parrotAt = names.indexOf("parrot.jpg");
      assertTrue(parrotAt > 0, "parrot.jpg among the upload's neighbours: " + names);
      browser.click(browser.findAll("#grid .card").get(parrotAt));
      List<String> after =
          WebDriver.await(
              "results for parrot.jpg",
              WAIT,
              () -> cardNames(browser),
              n -> !n.isEmpty() && n.get(0).equals("parrot.jpg"));
      assertEquals("parrot_small.jpg", after.get(1), after.toString());
      assertEquals("parrot.jpg", browser.text(browser.find("#query-title")));
      assertEquals(
          "#id=" + demo.image("parrot.jpg").id(), browser.script("return location.hash").asText());
      waitForThumbnails(browser);
      byte[] png = browser.screenshot();
      save(png, shots.resolve("search.png"));
      BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
      assertEquals(1280, shot.getWidth());

      // Fewer results, then a tag filter: every card carries the tag.
      browser.script(
          "const k = document.querySelector('#k'); k.value = '5'; k.dispatchEvent(new Event('change'));");
      WebDriver.await("5 results", WAIT, () -> count(browser, "#grid .card"), n -> n == 5);
      browser.click(browser.find("#tags .tag[data-filter='tag=food']"));
      List<String> food =
          WebDriver.await("food only", WAIT, () -> cardNames(browser), n -> n.size() == 4);
      assertTrue(
          food.containsAll(
              List.of(
                  "hot_dog.jpg",
                  "hot_dog_q25.jpg",
                  "skimage_coffee.jpg",
                  "missvickie_potato_chips.bmp")),
          food.toString());

      // Near-duplicates view lists the groups.
      browser.click(browser.find("#tab-dups"));
      WebDriver.await(
          "11 duplicate groups", WAIT, () -> count(browser, "#groups .group"), n -> n == 11);
      // Every copy shows its pixel and file size, so a user can choose which one to keep.
      JsonNode sizes =
          browser.script(
              "return [...document.querySelectorAll('#groups .card')].map(c =>"
                  + " c.querySelector('.name').textContent + '|' +"
                  + " (c.querySelector('.size') ? c.querySelector('.size').textContent : ''))");
      assertEquals(count(browser, "#groups .card"), sizes.size());
      List<String> shown = new ArrayList<>();
      sizes.forEach(n -> shown.add(n.asText()));
      for (String name : List.of("parrot.jpg", "parrot_small.jpg", "cat.bmp", "cat_720p.jpg")) {
        ImageDoc d = demo.image(name);
        String expected = name + "|" + d.width() + "×" + d.height() + " · " + formatBytes(d.size());
        assertTrue(shown.contains(expected), expected + " in " + shown);
      }
      for (String card : shown) {
        assertTrue(card.matches(".+\\|\\d+×\\d+ · \\d+(\\.\\d)? (B|KB|MB)"), card);
      }
      save(browser.screenshot(), shots.resolve("duplicates.png"));
    } finally {
      deleteTree(profile);
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "/nonexistent" : v;
  }

  private static int count(WebDriver b, String css) {
    try {
      return b.findAll(css).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> cardNames(WebDriver b) {
    try {
      List<String> names = new ArrayList<>();
      for (String card : b.findAll("#grid .card .name")) {
        names.add(b.text(card));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status line as "error|text" or "ok|text". */
  private static String whyText(WebDriver b) {
    try {
      return b.script(
              "const s = document.querySelector('#why-status');"
                  + " if (!document.querySelector('#why').open) return 'closed|';"
                  + " return (s.classList.contains('error') ? 'error|' : 'ok|') + s.textContent")
          .asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String statusText(WebDriver b) {
    try {
      return b.script(
              "const s = document.querySelector('#status');"
                  + " return (s.classList.contains('error') ? 'error|' : 'ok|') + s.textContent")
          .asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As the page writes file sizes. */
  private static String formatBytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return Math.round(n / 1024.0) + " KB";
    }
    return String.format(java.util.Locale.ROOT, "%.1f MB", n / 1024.0 / 1024.0);
  }

  private static boolean titleContains(WebDriver b, String text) {
    try {
      return b.text(b.find("#grid-title")).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Screenshots only after every visible thumbnail has loaded. */
  private static void waitForThumbnails(WebDriver b) throws InterruptedException {
    WebDriver.await(
        "thumbnails loaded",
        WAIT,
        () -> {
          try {
            return b.script(
                    "return [...document.querySelectorAll('#grid img, #query-img:not([hidden])')]"
                        + ".filter(i => i.getBoundingClientRect().top < innerHeight)" // lazy ones
                        // below the
                        // fold wait
                        + ".every(i => i.complete && i.naturalWidth > 0)")
                .asBoolean();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        ok -> ok);
  }

  private static void save(byte[] png, Path file) throws IOException {
    Files.write(file, png);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Chromium may still be releasing files; target/ is cleaned by the build anyway.
    }
  }
}
