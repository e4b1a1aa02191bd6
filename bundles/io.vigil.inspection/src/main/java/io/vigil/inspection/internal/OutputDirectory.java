package io.vigil.inspection.internal;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A report directory built in a hidden sibling ({@code .NAME.partial-PID-RANDOM}) and renamed into
 * place when complete, so the final path holds a complete report or nothing: an interrupted run
 * deletes its working directory, and a killed one ({@code kill -9}, a power cut) leaves only the
 * hidden sibling, which the next run writing beside it removes once that process is gone. A previous
 * report being replaced waits aside as {@code .NAME.old-PID-RANDOM} until the new one is in place;
 * should the process die in between, the next run puts it back.
 */
final class OutputDirectory implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutputDirectory.class);
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final Path target;
  private final Path working;
  private boolean committed;

  private OutputDirectory(Path target, Path working) {
    this.target = target;
    this.working = working;
  }

  /**
   * Creates the working directory beside {@code target} (on the same file system, so the final
   * rename is atomic), creating {@code target}'s parent if needed.
   *
   * @throws FileAlreadyExistsException when {@code target} exists and may not be replaced
   */
  static OutputDirectory create(Path target, boolean overwrite) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (absolute.getParent() == null) {
      throw new IOException("cannot write a report to the root directory");
    }
    Files.createDirectories(absolute.getParent());
    recoverAbandoned(absolute);
    refuseExisting(absolute, overwrite);
    return new OutputDirectory(absolute, createSibling(absolute, ".partial-"));
  }

  /**
   * A new directory {@code .NAME<infix>RANDOM} beside {@code target}, with the permissions of
   * any new directory (a temporary directory would be private to its owner, and so would the
   * report once renamed).
   */
  private static Path createSibling(Path target, String infix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path sibling = target.resolveSibling("." + target.getFileName() + infix + ProcessHandle.current().pid() + "-"
          + Long.toUnsignedString(RANDOM.nextLong(), 36));
      try {
        return Files.createDirectory(sibling);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  private static final java.util.regex.Pattern ABANDONED = java.util.regex.Pattern.compile("\\.(partial|old)-(\\d+)-[0-9a-z]+");

  /**
   * Siblings left by a process that died: its working directory is deleted; a previous report it
   * had moved aside goes back in place when nothing took its place (else it is deleted). Those of a
   * live process (another run writing here) are left alone.
   */
  private static void recoverAbandoned(Path target) {
    String prefix = "." + target.getFileName();
    try (java.util.stream.Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path sibling : siblings.sorted().toList()) {
        String name = sibling.getFileName().toString();
        java.util.regex.Matcher matcher = name.startsWith(prefix) ? ABANDONED.matcher(name.substring(prefix.length())) : null;
        if (matcher == null || !matcher.matches()
            || ProcessHandle.of(Long.parseLong(matcher.group(2))).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        if (matcher.group(1).equals("old") && !Files.exists(target)) {
          Files.move(sibling, target, StandardCopyOption.ATOMIC_MOVE);
          LOG.warn("Put back {} from {}: the run replacing it stopped half way", target, sibling);
        } else {
          deleteRecursively(sibling);
          LOG.info("Removed {}, left by process {} that stopped while writing a report", sibling, matcher.group(2));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot clean up after an earlier run beside {}: {}", target, e.getMessage());
    }
  }

  /** " (N KiB free on the file system of DIR)", or nothing when that cannot be read. */
  String freeSpace() {
    try {
      long free = Files.getFileStore(target.getParent()).getUsableSpace();
      return " (" + (free >= 1 << 20 ? free / (1 << 20) + " MiB" : free / 1024 + " KiB") + " free on the file system of "
          + target.getParent() + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void refuseExisting(Path target, boolean overwrite) throws IOException {
    if (Files.exists(target) && !overwrite) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists; choose another output or pass --overwrite");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "is a file, not a report directory");
    }
  }

  /** Where writers put their files until {@link #commit}. */
  Path working() {
    return working;
  }

  Path target() {
    return target;
  }

  /**
   * Moves the finished report into place. An existing report (with overwrite) is first renamed
   * aside and deleted only after the new one is in place.
   */
  void commit(boolean overwrite) throws IOException {
    refuseExisting(target, overwrite);
    Path previous = null;
    if (Files.exists(target)) {
      previous = createSibling(target, ".old-");
      Files.delete(previous);
      Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(working, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (previous != null) {
        Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    committed = true;
    if (previous != null) {
      deleteRecursively(previous);
    }
  }

  /** Deletes the working directory unless it was committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      deleteRecursively(working);
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
        try {
          Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
          // A writer thread still adding a file: leave it rather than fail the cleanup.
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
