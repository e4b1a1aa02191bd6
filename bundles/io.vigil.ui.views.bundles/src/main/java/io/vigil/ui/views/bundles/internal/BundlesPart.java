package io.vigil.ui.views.bundles.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.source.ImageSource;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * The bundles view in one window. Framework events refresh the tables (coalesced, on the UI
 * thread); every action runs on a background thread, since starting or stopping a bundle may wait
 * for its components, including this very window's views.
 */
final class BundlesPart implements ViewPart {
  private static final String SERVICES_FILTER = "(|(" + Constants.OBJECTCLASS + "=" + Detector.class.getName() + ")("
      + Constants.OBJECTCLASS + "=" + ImageSource.class.getName() + "))";

  private final ViewSite site;
  private final BundleContext context;
  private final AtomicBoolean refreshScheduled = new AtomicBoolean();
  private final BundleListener bundleListener = event -> scheduleRefresh();
  private final ServiceListener serviceListener = event -> scheduleRefresh();

  // UI thread only from here on.
  private final Composite root;
  private final Table bundles;
  private final Table detectors;
  private final Table sources;
  private final Button start;
  private final Button stop;
  private final Button update;
  private final Button uninstall;
  private final Label message;
  private boolean disposed;

  BundlesPart(Composite parent, ViewSite site, BundleContext context) {
    this.site = site;
    this.context = context;
    root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(2, true));

    Composite left = column(root);
    left.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 1, 2));
    new Label(left, SWT.NONE).setText("Installed bundles");
    bundles = table(left, "bundles.table", new String[] {"id", "symbolic name", "version", "state"},
        new int[] {50, 300, 150, 90});
    bundles.addListener(SWT.Selection, event -> updateButtons());
    Composite actions = new Composite(left, SWT.NONE);
    actions.setLayout(new GridLayout(5, false));
    Button install = button(actions, "Install…", "bundles.install");
    install.addListener(SWT.Selection, event -> install());
    start = button(actions, "Start", "bundles.start");
    start.addListener(SWT.Selection, event -> act("start", Bundle::start));
    stop = button(actions, "Stop", "bundles.stop");
    stop.addListener(SWT.Selection, event -> act("stop", Bundle::stop));
    update = button(actions, "Update", "bundles.update");
    update.addListener(SWT.Selection, event -> act("update", Bundle::update));
    uninstall = button(actions, "Uninstall", "bundles.uninstall");
    uninstall.addListener(SWT.Selection, event -> act("uninstall", Bundle::uninstall));
    message = new Label(left, SWT.WRAP);
    message.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    message.setData(View.WIDGET_ID, "bundles.message");
    message.setText("Select a bundle. Stopping or uninstalling a detector or source bundle hot-swaps it.");

    Composite top = column(root);
    new Label(top, SWT.NONE).setText("Registered detectors");
    detectors = table(top, "bundles.detectors", new String[] {"name", "algorithm", "ranking", "bundle"},
        new int[] {160, 100, 70, 220});
    Composite bottom = column(root);
    new Label(bottom, SWT.NONE).setText("Registered image sources");
    sources = table(bottom, "bundles.sources", new String[] {"name", "ranking", "bundle"}, new int[] {220, 70, 260});

    context.addBundleListener(bundleListener);
    try {
      context.addServiceListener(serviceListener, SERVICES_FILTER);
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
    refresh();
  }

  private static Composite column(Composite parent) {
    Composite column = new Composite(parent, SWT.NONE);
    column.setLayout(new GridLayout(1, false));
    column.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    return column;
  }

  private static Table table(Composite parent, String id, String[] titles, int[] widths) {
    Table table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE | SWT.V_SCROLL);
    table.setHeaderVisible(true);
    table.setLinesVisible(true);
    table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    table.setData(View.WIDGET_ID, id);
    for (int i = 0; i < titles.length; i++) {
      TableColumn column = new TableColumn(table, SWT.LEFT);
      column.setText(titles[i]);
      column.setWidth(widths[i]);
    }
    return table;
  }

  private static Button button(Composite parent, String text, String id) {
    Button button = new Button(parent, SWT.PUSH);
    button.setText(text);
    button.setData(View.WIDGET_ID, id);
    return button;
  }

  private void scheduleRefresh() {
    if (refreshScheduled.compareAndSet(false, true)) {
      site.asyncExec(this::refresh);
    }
  }

  private void refresh() {
    refreshScheduled.set(false);
    if (disposed || root.isDisposed()) {
      return;
    }
    long selected = selectedBundleId();
    fill(bundles, Registry.bundles(context));
    fill(detectors, Registry.detectors(context));
    fill(sources, Registry.sources(context));
    for (int i = 0; i < bundles.getItemCount(); i++) {
      if (bundles.getItem(i).getText(0).equals(Long.toString(selected))) {
        bundles.select(i);
      }
    }
    updateButtons();
  }

  private static void fill(Table table, List<String[]> rows) {
    table.setRedraw(false);
    table.removeAll();
    for (String[] row : rows) {
      new TableItem(table, SWT.NONE).setText(row);
    }
    table.setRedraw(true);
  }

  private long selectedBundleId() {
    TableItem[] selection = bundles.getSelection();
    return selection.length == 0 ? -1 : Long.parseLong(selection[0].getText(0));
  }

  private Bundle selectedBundle() {
    long id = selectedBundleId();
    return id < 0 ? null : context.getBundle(id);
  }

  private void updateButtons() {
    Bundle bundle = selectedBundle();
    // The framework and this view's own bundle are not the operator's to stop from here.
    boolean mine = bundle != null && (bundle.getBundleId() == 0 || bundle.equals(context.getBundle()));
    boolean fragment = bundle != null && bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    int state = bundle == null ? 0 : bundle.getState();
    start.setEnabled(bundle != null && !mine && !fragment && state != Bundle.ACTIVE);
    stop.setEnabled(bundle != null && !mine && !fragment && state == Bundle.ACTIVE);
    update.setEnabled(bundle != null && !mine);
    uninstall.setEnabled(bundle != null && !mine);
  }

  /** A bundle operation that may throw. */
  private interface Action {
    void apply(Bundle bundle) throws BundleException;
  }

  private void act(String verb, Action action) {
    Bundle bundle = selectedBundle();
    if (bundle == null) {
      return;
    }
    String name = bundle.getSymbolicName();
    message.setText(verb + " " + name + "…");
    site.background().execute(() -> {
      try {
        action.apply(bundle);
        report(verb + " " + name + ": done");
      } catch (BundleException | RuntimeException e) {
        report(verb + " " + name + " failed: " + e.getMessage());
      }
    });
  }

  private void install() {
    FileDialog dialog = new FileDialog(root.getShell(), SWT.OPEN);
    dialog.setText("Install a bundle");
    dialog.setFilterExtensions(new String[] {"*.jar"});
    String file = dialog.open();
    if (file != null) {
      installAndStart(Path.of(file));
    }
  }

  /** Installs and starts the bundle at {@code file}, off the UI thread. */
  void installAndStart(Path file) {
    message.setText("installing " + file + "…");
    site.background().execute(() -> {
      try {
        Bundle bundle = context.installBundle(file.toUri().toString());
        if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
          bundle.start();
        }
        report("installed and started " + bundle.getSymbolicName() + " " + bundle.getVersion());
      } catch (BundleException | RuntimeException e) {
        report("installing " + file + " failed: " + e.getMessage());
      }
    });
  }

  private void report(String text) {
    site.setStatus(text);
    site.asyncExec(() -> message.setText(text));
  }

  @Override
  public void dispose() {
    disposed = true;
    context.removeBundleListener(bundleListener);
    context.removeServiceListener(serviceListener);
  }
}
