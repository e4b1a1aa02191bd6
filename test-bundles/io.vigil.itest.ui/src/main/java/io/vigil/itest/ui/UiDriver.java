package io.vigil.itest.ui;

import io.vigil.ui.swt.View;
import io.vigil.ui.swt.Workbench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Opens the workbench on a UI thread of its own and drives its widgets from the test thread with
 * {@link Display#syncExec} (SWTBot is not on Maven Central). Views tag their widgets with
 * {@link View#WIDGET_ID}; that is how the tests find them.
 */
final class UiDriver implements AutoCloseable {
  static final String UI_THREAD = "vigil-ui-itest";

  final BundleContext context = FrameworkUtil.getBundle(UiDriver.class).getBundleContext();
  private final Workbench workbench;
  private final Thread uiThread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private UiDriver(String initialView) throws InterruptedException {
    workbench = context.getService(context.getServiceReference(Workbench.class));
    uiThread = new Thread(() -> {
      try {
        workbench.run(Workbench.Options.interactive(initialView));
      } catch (Throwable e) {
        failure.set(e);
      }
    }, UI_THREAD);
    uiThread.start();
    await(() -> failure.get() != null || workbench.display().isPresent(), () -> "the workbench display");
    if (failure.get() != null) {
      throw new AssertionError("the workbench did not open", failure.get());
    }
    await(() -> onUi(() -> shell() != null && shell().isVisible()), () -> "the workbench shell visible");
  }

  static UiDriver open(String initialView) throws InterruptedException {
    return new UiDriver(initialView);
  }

  Workbench workbench() {
    return workbench;
  }

  Display display() {
    return workbench.display().orElseThrow(() -> new AssertionError("the workbench window is not open"));
  }

  /** Runs {@code task} on the UI thread and returns its result; its exception fails the test. */
  <T> T onUi(Callable<T> task) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    display().syncExec(() -> {
      try {
        result.set(task.call());
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    if (thrown.get() != null) {
      throw new AssertionError("on the UI thread: " + thrown.get(), thrown.get());
    }
    return result.get();
  }

  void runOnUi(Runnable task) {
    onUi(() -> {
      task.run();
      return null;
    });
  }

  /** The workbench shell. UI thread. */
  Shell shell() {
    for (Shell shell : display().getShells()) {
      if (!shell.isDisposed() && "Vigil".equals(shell.getText())) {
        return shell;
      }
    }
    return null;
  }

  CTabFolder folder() {
    return find(shell(), CTabFolder.class, control -> true);
  }

  List<String> tabTitles() {
    return onUi(() -> {
      List<String> titles = new ArrayList<>();
      for (CTabItem item : folder().getItems()) {
        titles.add(item.getText());
      }
      return titles;
    });
  }

  String selectedTab() {
    return onUi(() -> folder().getSelection() == null ? null : folder().getSelection().getText());
  }

  /** Selects a tab as a click would (the folder tells its listeners). */
  void selectTab(String title) {
    runOnUi(() -> {
      for (CTabItem item : folder().getItems()) {
        if (item.getText().equals(title)) {
          workbench.showView(idOf(item));
          return;
        }
      }
      throw new AssertionError("no tab " + title + " in " + List.of(folder().getItems()));
    });
  }

  private static String idOf(CTabItem item) {
    // The workbench selects by view id; the driver only knows titles: find the id through the registry.
    BundleContext context = FrameworkUtil.getBundle(UiDriver.class).getBundleContext();
    try {
      for (var reference : context.getServiceReferences(View.class, null)) {
        if (item.getText().equals(reference.getProperty(View.TITLE_PROPERTY))) {
          return (String) reference.getProperty(View.ID_PROPERTY);
        }
      }
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("no view service titled " + item.getText());
  }

  /** The widget a view tagged with {@code id}. UI thread. */
  <W extends Control> W widget(String id, Class<W> type) {
    W found = find(shell(), type, control -> id.equals(control.getData(View.WIDGET_ID)));
    if (found == null) {
      throw new AssertionError("no " + type.getSimpleName() + " tagged " + id);
    }
    return found;
  }

  /** Waits until a widget tagged {@code id} exists, e.g. in a view that is still being created. */
  void awaitWidget(String id) throws InterruptedException {
    await(() -> onUi(() -> find(shell(), Control.class, c -> id.equals(c.getData(View.WIDGET_ID))) != null),
        () -> "a widget tagged " + id);
  }

  static <W extends Control> W find(Control root, Class<W> type, java.util.function.Predicate<Control> test) {
    if (root == null || root.isDisposed()) {
      return null;
    }
    if (type.isInstance(root) && test.test(root)) {
      return type.cast(root);
    }
    if (root instanceof Composite composite) {
      for (Control child : composite.getChildren()) {
        W found = find(child, type, test);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** Chooses the item of a tagged combo that starts with {@code prefix}, as the operator would. */
  void choose(String comboId, String prefix) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.Combo combo = widget(comboId, org.eclipse.swt.widgets.Combo.class);
      String[] items = combo.getItems();
      for (int i = 0; i < items.length; i++) {
        if (items[i].startsWith(prefix)) {
          combo.select(i);
          combo.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
          return;
        }
      }
      throw new AssertionError("no item starting with '" + prefix + "' in " + comboId + ": " + List.of(items));
    });
  }

  /** The items of a tagged combo. */
  List<String> items(String comboId) {
    return onUi(() -> List.of(widget(comboId, org.eclipse.swt.widgets.Combo.class).getItems()));
  }

  /** Presses a tagged button (or toggles a check box to {@code true}). */
  void press(String buttonId) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.Button button = widget(buttonId, org.eclipse.swt.widgets.Button.class);
      if (!button.isEnabled()) {
        throw new AssertionError(buttonId + " is disabled");
      }
      if ((button.getStyle() & (org.eclipse.swt.SWT.CHECK | org.eclipse.swt.SWT.RADIO)) != 0) {
        button.setSelection(true);
      }
      button.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
    });
  }

  /** Moves a tagged scale to {@code value}, as a drag would. */
  void slide(String scaleId, int value) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.Scale scale = widget(scaleId, org.eclipse.swt.widgets.Scale.class);
      scale.setSelection(value);
      scale.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
    });
  }

  /** The text of a tagged label, text field or button. */
  String text(String id) {
    return onUi(() -> {
      Control control = widget(id, Control.class);
      if (control instanceof org.eclipse.swt.widgets.Label label) {
        return label.getText();
      }
      if (control instanceof org.eclipse.swt.widgets.Text text) {
        return text.getText();
      }
      if (control instanceof org.eclipse.swt.widgets.Button button) {
        return button.getText();
      }
      throw new AssertionError(id + " is a " + control.getClass().getSimpleName() + ", not a text widget");
    });
  }

  /** Types into a tagged text field and tells its listeners. */
  void type(String textId, String value) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.Text text = widget(textId, org.eclipse.swt.widgets.Text.class);
      text.setText(value);
      text.notifyListeners(org.eclipse.swt.SWT.Modify, new org.eclipse.swt.widgets.Event());
    });
  }

  /** Types into a tagged text field and presses Enter. */
  void enter(String textId, String value) {
    type(textId, value);
    runOnUi(() -> widget(textId, org.eclipse.swt.widgets.Text.class)
        .notifyListeners(org.eclipse.swt.SWT.DefaultSelection, new org.eclipse.swt.widgets.Event()));
  }

  /** Sets a tagged spinner. */
  void spin(String spinnerId, int value) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.Spinner spinner = widget(spinnerId, org.eclipse.swt.widgets.Spinner.class);
      spinner.setSelection(value);
      spinner.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
    });
  }

  /** The rows of a tagged table, each as its cells' texts. */
  List<List<String>> rows(String tableId) {
    return onUi(() -> {
      org.eclipse.swt.widgets.Table table = widget(tableId, org.eclipse.swt.widgets.Table.class);
      List<List<String>> rows = new ArrayList<>();
      for (org.eclipse.swt.widgets.TableItem item : table.getItems()) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < table.getColumnCount(); c++) {
          cells.add(item.getText(c));
        }
        rows.add(cells);
      }
      return rows;
    });
  }

  /** Selects the first row of a tagged table whose cell {@code column} equals {@code text}, as a click would. */
  void selectRow(String tableId, int column, String text) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.Table table = widget(tableId, org.eclipse.swt.widgets.Table.class);
      for (int i = 0; i < table.getItemCount(); i++) {
        if (table.getItem(i).getText(column).equals(text)) {
          table.setSelection(i);
          org.eclipse.swt.widgets.Event event = new org.eclipse.swt.widgets.Event();
          event.item = table.getItem(i);
          table.notifyListeners(org.eclipse.swt.SWT.Selection, event);
          return;
        }
      }
      throw new AssertionError("no row with '" + text + "' in " + tableId);
    });
  }

  /** Clicks the header of column {@code column} of a tagged table. */
  void clickColumn(String tableId, int column) {
    runOnUi(() -> widget(tableId, org.eclipse.swt.widgets.Table.class).getColumn(column)
        .notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event()));
  }

  /** Selects the tab titled {@code title} of a tagged TabFolder, as a click would. */
  void selectTabItem(String folderId, String title) {
    runOnUi(() -> {
      org.eclipse.swt.widgets.TabFolder folder = widget(folderId, org.eclipse.swt.widgets.TabFolder.class);
      for (org.eclipse.swt.widgets.TabItem item : folder.getItems()) {
        if (item.getText().equals(title)) {
          folder.setSelection(item);
          org.eclipse.swt.widgets.Event event = new org.eclipse.swt.widgets.Event();
          event.item = item;
          folder.notifyListeners(org.eclipse.swt.SWT.Selection, event);
          return;
        }
      }
      throw new AssertionError("no tab " + title + " in " + folderId);
    });
  }

  /**
   * How many pixels of a tagged control, as it paints itself now, have exactly the colour
   * {@code rgb} (0xRRGGBB). The control prints into an image of its own, disposed here.
   */
  int pixelsOfColour(String id, int rgb) {
    return onUi(() -> {
      Control control = widget(id, Control.class);
      org.eclipse.swt.graphics.Point size = control.getSize();
      org.eclipse.swt.graphics.Image image = new org.eclipse.swt.graphics.Image(display(), size.x, size.y);
      try {
        org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(image);
        try {
          control.print(gc);
        } finally {
          gc.dispose();
        }
        org.eclipse.swt.graphics.ImageData data = image.getImageData();
        int count = 0;
        for (int y = 0; y < data.height; y++) {
          for (int x = 0; x < data.width; x++) {
            org.eclipse.swt.graphics.RGB pixel = data.palette.getRGB(data.getPixel(x, y));
            if (((pixel.red << 16) | (pixel.green << 8) | pixel.blue) == rgb) {
              count++;
            }
          }
        }
        return count;
      } finally {
        image.dispose();
      }
    });
  }

  boolean enabled(String id) {
    return onUi(() -> widget(id, Control.class).isEnabled());
  }

  /** Saves a screenshot of the window into target/screenshots and returns its path. */
  Path screenshot(String name) throws IOException, InterruptedException {
    Path directory = Path.of(System.getProperty("vigil.screenshots.dir", "target/screenshots"));
    Files.createDirectories(directory);
    Path file = directory.resolve(name + ".png");
    workbench.screenshot(file);
    return file;
  }

  @Override
  public void close() throws InterruptedException {
    workbench.close();
    uiThread.join(TimeUnit.SECONDS.toMillis(30));
    if (uiThread.isAlive()) {
      throw new AssertionError("the UI thread did not end after close()");
    }
    if (failure.get() != null) {
      throw new AssertionError("the workbench failed", failure.get());
    }
  }

  /**
   * Lets GTK finish an animation before a screenshot. Only the picture depends on it: no assertion
   * follows a pause, so a loaded machine gives a less pretty screenshot, never a failed test.
   */
  void pauseForScreenshot(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    await(condition, what, 120); // generous: it only ends a failing test, and CI machines may be loaded
  }

  static void await(BooleanSupplier condition, Supplier<String> what, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what.get());
      }
      Thread.sleep(20);
    }
  }
}
