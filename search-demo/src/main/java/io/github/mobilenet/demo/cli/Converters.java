package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.extract.EndpointDump;
import io.github.mobilenet.core.extract.Pooling;
import io.github.mobilenet.core.preprocess.InputSize;
import io.github.mobilenet.core.preprocess.Preprocessing;
import io.github.mobilenet.core.preprocess.ResizeFilter;
import io.github.mobilenet.embeddings.index.VectorFormat;
import io.github.mobilenet.eval.retrieval.Normalization;
import io.github.mobilenet.eval.retrieval.RetrievalBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Option value types: the library's own parsers (so the CLI accepts exactly the names the library
 * documents) and numbers with the messages the CLI always gave. {@link ErrorHandlers} puts the
 * option name in front.
 */
final class Converters {
  private Converters() {}

  /** Registers every converter on {@code cl} and the subcommands it already has. */
  static void register(CommandLine cl) {
    cl.registerConverter(Integer.class, Converters::integer);
    cl.registerConverter(Integer.TYPE, Converters::integer);
    cl.registerConverter(Double.class, Converters::number);
    cl.registerConverter(Double.TYPE, Converters::number);
    cl.registerConverter(Pooling.class, Pooling::parse);
    cl.registerConverter(Preprocessing.class, Preprocessing::parse);
    cl.registerConverter(ResizeFilter.class, ResizeFilter::parse);
    cl.registerConverter(InputSize.class, InputSize::parse);
    cl.registerConverter(EndpointDump.Layout.class, EndpointDump.Layout::parse);
    cl.registerConverter(VectorFormat.class, VectorFormat::parse);
    cl.registerConverter(Normalization.class, Normalization::parse);
    cl.registerConverter(
        RetrievalBenchmark.WhitenSplit.class, RetrievalBenchmark.WhitenSplit::parse);
    cl.registerConverter(ProgressPrinter.Mode.class, ProgressPrinter::parse);
  }

  static Integer integer(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("needs an integer, got '" + s + "'");
    }
  }

  static Double number(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("needs a number, got '" + s + "'");
    }
  }
}
