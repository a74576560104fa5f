package io.github.mobilenet.demo.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value}, {@code --name=value}, boolean {@code
 * --flag}, repeatable options, and positionals. Options are declared by the command, so typos are
 * usage errors.
 */
public final class Args {
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> positionals = new ArrayList<>();

  /**
   * @param valued options that take a value
   * @param flags options that take none
   */
  public static Args parse(String[] argv, Set<String> valued, Set<String> flags)
      throws UsageException {
    Args a = new Args();
    boolean onlyPositionals = false;
    for (int i = 0; i < argv.length; i++) {
      String s = argv[i];
      if (onlyPositionals || !s.startsWith("--") || s.equals("-")) {
        a.positionals.add(s);
        continue;
      }
      if (s.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      String name = s.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        a.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.length) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = argv[++i];
        }
        a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return a;
  }

  public boolean has(String name) {
    return options.containsKey(name);
  }

  /** The last value given, or {@code fallback}. */
  public String get(String name, String fallback) {
    List<String> v = options.get(name);
    return v == null ? fallback : v.get(v.size() - 1);
  }

  public String require(String name) throws UsageException {
    String v = get(name, null);
    if (v == null) {
      throw new UsageException("--" + name + " is required");
    }
    return v;
  }

  public List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  public int getInt(String name, int fallback, int min, int max) throws UsageException {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new UsageException(
            "--" + name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs an integer, got '" + v + "'");
    }
  }

  public double getDouble(String name, double fallback) throws UsageException {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a number, got '" + v + "'");
    }
  }

  /**
   * Applies a parser that throws IllegalArgumentException, turning its message into a usage error.
   */
  public <T> T get(String name, T fallback, java.util.function.Function<String, T> parser)
      throws UsageException {
    String v = get(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return parser.apply(v);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + name + ": " + e.getMessage());
    }
  }

  public List<String> positionals() {
    return positionals;
  }

  public List<Path> paths() throws UsageException {
    if (positionals.isEmpty()) {
      throw new UsageException("no PATH given");
    }
    List<Path> out = new ArrayList<>();
    for (String p : positionals) {
      out.add(Path.of(p));
    }
    return out;
  }
}
