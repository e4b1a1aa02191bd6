package io.vigil.source.folder.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a folder on its own thread and hands each image file to the subscribed readers once it is
 * completely written: its size and modification time have not changed for the settle time. Grabbers
 * that write in place are caught this way; those that write a hidden or temporary name and rename it
 * are seen only after the rename. The OS's change events give low latency; a periodic rescan catches
 * what they miss (overflow, network shares, a folder created late).
 *
 * <p>Files that become ready while no reader is subscribed wait in a bounded backlog for the next
 * one, so the station's reopening a stream loses nothing.
 *
 * <p>A watched folder that is deleted is reported once to each reader (its stream fails, the station
 * logs it and reopens) and in {@link #state()}; the watcher waits for the folder to be created again
 * (seen at the next rescan) and watches it on, with files of the same names as before counting as new.
 */
final class FolderWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

  /** Settings of a watch. */
  record Settings(Duration settle, Duration rescan, int backlog, boolean existing) {
    Settings {
      Objects.requireNonNull(settle);
      Objects.requireNonNull(rescan);
    }
  }

  /** What a file looked like when seen: a change of either means it is still being written. */
  private record Stamp(long size, long modified) {}

  private static final class Pending {
    Stamp stamp;
    long stableSince;

    Pending(Stamp stamp, long now) {
      this.stamp = stamp;
      this.stableSince = now;
    }
  }

  /** One reader's queue of ready files. */
  final class Subscription implements AutoCloseable {
    private final BlockingQueue<Path> ready = new LinkedBlockingQueue<>();
    private int lossesReported = losses;

    /**
     * Throws once for each time the folder went away since this reader subscribed (or last heard of it).
     *
     * @throws java.nio.file.NoSuchFileException naming the folder and what the watcher does about it
     */
    void checkFolder() throws java.nio.file.NoSuchFileException {
      int now = losses;
      if (now != lossesReported) {
        lossesReported = now;
        throw new java.nio.file.NoSuchFileException(layout.root().toString(), null, state());
      }
    }

    /** The next ready file, waiting at most {@code timeout}; null when none came. */
    Path poll(Duration timeout) throws InterruptedException {
      return ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Unsubscribes; files this reader never took go back to the backlog when no reader is left. */
    @Override
    public void close() {
      synchronized (backlog) {
        subscribers.remove(this);
        if (subscribers.isEmpty()) {
          ready.drainTo(backlog);
        }
      }
    }
  }

  private final String name;
  private final FolderLayout layout;
  private final Settings settings;
  private final LongSupplier nanoClock;
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final Deque<Path> backlog = new ArrayDeque<>();
  // Owned by the watcher thread (filled by start() before it runs).
  private final Map<Path, Pending> pending = new HashMap<>();
  private final Map<Path, Stamp> delivered = new HashMap<>();
  private final Map<Path, WatchKey> watched = new HashMap<>();
  private WatchService watchService;
  private boolean folderMissingReported;
  /** Times the folder disappeared while watched. */
  private volatile int losses;
  private volatile boolean seenOnce;
  private volatile String state;
  private volatile boolean running;
  private Thread thread;

  FolderWatcher(String name, FolderLayout layout, Settings settings) {
    this(name, layout, settings, System::nanoTime);
  }

  /** With the clock that settle and rescan times are measured on (a test's own, to be independent of load). */
  FolderWatcher(String name, FolderLayout layout, Settings settings, LongSupplier nanoClock) {
    this.name = name;
    this.layout = layout;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.state = "watching " + layout.root();
  }

  /** What the watch is doing: watching, or waiting for a deleted or missing folder, and since when. */
  String state() {
    return state;
  }

  /** Takes the baseline (what is there now) on the calling thread, then watches on its own. */
  void start() throws IOException {
    watchService = layout.root().getFileSystem().newWatchService();
    baseline();
    running = true;
    thread = new Thread(this::run, "vigil-folder-watch-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** A new reader: it first gets the backlog, then every file that becomes ready. */
  Subscription subscribe() {
    Subscription subscription = new Subscription();
    synchronized (backlog) {
      subscription.ready.addAll(backlog);
      backlog.clear();
      subscribers.add(subscription);
    }
    return subscription;
  }

  /** Files that became ready while no reader was subscribed. */
  int backlogSize() {
    synchronized (backlog) {
      return backlog.size();
    }
  }

  /** Stops the thread and waits for it. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    try {
      if (watchService != null) {
        watchService.close(); // wakes the thread from its poll
      }
    } catch (IOException e) {
      LOG.debug("Closing the watch service of '{}' failed", name, e);
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(10));
      if (t.isAlive()) {
        LOG.warn("Folder watcher '{}' did not stop within 10 s", name);
      }
    }
  }

  private void run() {
    long settleNanos = settings.settle().toNanos();
    long rescanNanos = settings.rescan().toNanos();
    long lastRescan = nanoClock.getAsLong();
    try {
      while (running) {
        long now = nanoClock.getAsLong();
        long untilRescan = Math.max(1, rescanNanos - (now - lastRescan));
        long wait = pending.isEmpty() ? untilRescan : Math.min(untilRescan, Math.max(settleNanos / 4, 10_000_000L));
        WatchKey key = watchService.poll(wait, TimeUnit.NANOSECONDS);
        while (key != null) {
          handle(key);
          key = watchService.poll();
        }
        now = nanoClock.getAsLong();
        if (now - lastRescan >= rescanNanos) {
          rescan();
          lastRescan = now;
        }
        settlePending(nanoClock.getAsLong(), settleNanos);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Stopping.
    } catch (RuntimeException e) {
      LOG.error("Folder watcher '{}' failed; new files in {} are no longer seen", name, layout.root(), e);
    }
  }

  /** Files already present: delivered as new ones when configured, else remembered as seen. */
  private void baseline() {
    long now = nanoClock.getAsLong();
    for (Path file : walk()) {
      Stamp stamp = stamp(file);
      if (stamp == null) {
        continue;
      }
      if (settings.existing()) {
        pending.put(file, new Pending(stamp, now));
      } else {
        delivered.put(file, stamp);
      }
    }
  }

  private void rescan() {
    for (Path file : walk()) {
      observe(file);
    }
    // Files deleted without an event (network shares) are forgotten, so a new one of that name counts.
    delivered.keySet().removeIf(file -> !Files.exists(file));
  }

  /** Every image file under the root, registering folders with the watch service on the way. */
  private List<Path> walk() {
    Path root = layout.root();
    if (!checkRoot()) {
      return List.of();
    }
    List<Path> images = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root, layout.recursive() ? Integer.MAX_VALUE : 1)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isDirectory(path)) {
          register(path);
        } else if (layout.isImage(path)) {
          images.add(path.toAbsolutePath().normalize());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Listing {} of source '{}' failed: {}", root, name, e.getMessage());
    }
    return images;
  }

  /** Whether the folder is there, noting (once) when it went away or came back. */
  private boolean checkRoot() {
    Path root = layout.root();
    if (!Files.isDirectory(root)) {
      if (!folderMissingReported) {
        folderMissingReported = true;
        if (seenOnce) {
          state = "folder " + root + " was deleted at " + java.time.Instant.now() + "; waiting for it to be created again";
          losses++;
          LOG.warn("Watched folder {} of source '{}' was deleted; waiting for it to be created again", root, name);
        } else {
          state = "folder " + root + " does not exist; waiting for it";
          LOG.warn("Watched folder {} of source '{}' does not exist; waiting for it", root, name);
        }
        // Files of the old folder are forgotten: a file of the same name in the new one is new.
        pending.clear();
        delivered.clear();
      }
      return false;
    }
    if (folderMissingReported) {
      folderMissingReported = false;
      state = "watching " + root + " (there again since " + java.time.Instant.now() + ")";
      LOG.info("Watched folder {} of source '{}' is there now; watching it", root, name);
    }
    seenOnce = true;
    return true;
  }

  private void register(Path directory) {
    Path absolute = directory.toAbsolutePath().normalize();
    WatchKey existing = watched.get(absolute);
    if (existing != null && existing.isValid()) {
      return;
    }
    try {
      watched.put(absolute, absolute.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE));
    } catch (IOException e) {
      LOG.warn("Cannot watch {} of source '{}': {}; the rescan still finds its files", absolute, name, e.getMessage());
    }
  }

  private void handle(WatchKey key) {
    Path directory = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        rescan();
        continue;
      }
      Path path = directory.resolve((Path) event.context()).toAbsolutePath().normalize();
      if (event.kind() == ENTRY_DELETE) {
        pending.remove(path);
        delivered.remove(path);
      } else if (Files.isDirectory(path)) {
        if (layout.recursive()) {
          register(path);
          // Files written before the folder was registered raised no event of their own.
          try (Stream<Path> inside = Files.walk(path)) {
            inside.filter(layout::isImage).forEach(this::observe);
          } catch (IOException | RuntimeException e) {
            LOG.debug("Listing new folder {} failed", path, e);
          }
        }
      } else {
        observe(path);
      }
    }
    if (!key.reset()) {
      watched.values().remove(key);
      if (directory.toAbsolutePath().normalize().equals(layout.root().toAbsolutePath().normalize())) {
        checkRoot(); // the folder itself went: say so now rather than at the next rescan
      }
    }
  }

  /** Notes a file that may be new or rewritten; it becomes ready once it has settled. */
  private void observe(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!layout.isImage(absolute)) {
      return;
    }
    Stamp stamp = stamp(absolute);
    if (stamp == null || stamp.equals(delivered.get(absolute))) {
      return;
    }
    pending.computeIfAbsent(absolute, p -> new Pending(stamp, nanoClock.getAsLong()));
  }

  private void settlePending(long now, long settleNanos) {
    for (Iterator<Map.Entry<Path, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, Pending> entry = it.next();
      Pending candidate = entry.getValue();
      Stamp current = stamp(entry.getKey());
      if (current == null) {
        it.remove(); // gone before it settled (a temporary file)
        continue;
      }
      if (!current.equals(candidate.stamp)) {
        candidate.stamp = current;
        candidate.stableSince = now;
        continue;
      }
      long stableFor = now - candidate.stableSince;
      // An empty file is usually one whose writer has not started; it gets ten times longer.
      long needed = current.size() == 0 ? settleNanos * 10 : settleNanos;
      if (stableFor >= needed) {
        it.remove();
        delivered.put(entry.getKey(), current);
        publish(entry.getKey());
      }
    }
  }

  private void publish(Path file) {
    synchronized (backlog) {
      if (subscribers.isEmpty()) {
        if (backlog.size() >= settings.backlog()) {
          Path dropped = backlog.removeFirst();
          LOG.warn("Source '{}' has no reader and {} files waiting; dropping the oldest, {}", name,
              settings.backlog(), dropped);
        }
        backlog.addLast(file);
        return;
      }
      for (Subscription subscription : subscribers) {
        subscription.ready.add(file);
      }
    }
  }

  private static Stamp stamp(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return null;
      }
      return new Stamp(attributes.size(), attributes.lastModifiedTime().toMillis());
    } catch (IOException e) {
      return null;
    }
  }
}
