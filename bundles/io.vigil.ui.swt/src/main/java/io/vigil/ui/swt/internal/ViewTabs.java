package io.vigil.ui.swt.internal;

import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tab per registered {@link View}, kept in {@link View#ORDER_PROPERTY} order as views come,
 * go and change. Tracker callbacks arrive on framework threads; every widget change runs on the UI
 * thread: additions and changes asynchronously, removals synchronously so a part is disposed
 * before its bundle is gone.
 */
final class ViewTabs implements ServiceTrackerCustomizer<View, View> {
  private static final Logger LOG = LoggerFactory.getLogger(ViewTabs.class);

  private final BundleContext context;
  private final Display display;
  private final CTabFolder folder;
  private final Executor background;
  private final Consumer<String> statusLine;
  private final ServiceTracker<View, View> tracker;
  /** UI thread only. */
  private final Map<ServiceReference<View>, Tab> tabs = new HashMap<>();
  /** UI thread only: the view to select when it appears. */
  private String pendingSelection;

  /** A view's tab, key and part. */
  private static final class Tab {
    final ServiceReference<View> reference;
    final Composite body;
    final TabSite site;
    CTabItem item;
    ViewPart part;
    SortKey key;

    Tab(ServiceReference<View> reference, Composite body, TabSite site, SortKey key) {
      this.reference = reference;
      this.body = body;
      this.site = site;
      this.key = key;
    }
  }

  record SortKey(int order, String title, long serviceId, String id) {
    static final Comparator<SortKey> ORDER = Comparator.comparingInt(SortKey::order)
        .thenComparing(SortKey::title, String.CASE_INSENSITIVE_ORDER)
        .thenComparingLong(SortKey::serviceId);

    static SortKey of(ServiceReference<?> reference) {
      Object order = reference.getProperty(View.ORDER_PROPERTY);
      int value = View.DEFAULT_ORDER;
      if (order instanceof Number number) {
        value = number.intValue();
      } else if (order != null) {
        try {
          value = Integer.parseInt(order.toString().trim());
        } catch (NumberFormatException e) {
          LOG.warn("View {} has a non-numeric {}: {}", reference, View.ORDER_PROPERTY, order);
        }
      }
      Object id = reference.getProperty(View.ID_PROPERTY);
      Object title = reference.getProperty(View.TITLE_PROPERTY);
      String idText = id == null ? "view-" + reference.getProperty(Constants.SERVICE_ID) : id.toString();
      return new SortKey(value, title == null ? idText : title.toString(),
          (Long) reference.getProperty(Constants.SERVICE_ID), idText);
    }
  }

  ViewTabs(BundleContext context, CTabFolder folder, Executor background, Consumer<String> statusLine,
      String initialView) {
    this.context = context;
    this.display = folder.getDisplay();
    this.folder = folder;
    this.background = background;
    this.statusLine = statusLine;
    this.pendingSelection = initialView;
    this.tracker = new ServiceTracker<>(context, View.class, this);
    folder.addListener(SWT.Selection, event -> {
      Tab tab = tabOf((CTabItem) event.item);
      if (tab != null && tab.part != null) {
        tab.part.activated();
      }
    });
  }

  void open() {
    tracker.open();
  }

  /** Disposes every part and stops tracking. UI thread. */
  void close() {
    tracker.close();
    for (Tab tab : new ArrayList<>(tabs.values())) {
      remove(tab.reference);
    }
  }

  /** Selects the view with {@code id} now, or when it appears. UI thread. */
  void select(String id) {
    for (Tab tab : tabs.values()) {
      if (tab.key.id().equals(id)) {
        folder.setSelection(tab.item);
        if (tab.part != null) {
          tab.part.activated();
        }
        pendingSelection = null;
        return;
      }
    }
    pendingSelection = id;
  }

  /** The titles of the tabs, left to right. UI thread. */
  List<String> titles() {
    List<String> titles = new ArrayList<>();
    for (CTabItem item : folder.getItems()) {
      titles.add(item.getText());
    }
    return titles;
  }

  @Override
  public View addingService(ServiceReference<View> reference) {
    View view = context.getService(reference);
    if (view == null) {
      return null;
    }
    onUi(() -> add(reference, view), false);
    return view;
  }

  @Override
  public void modifiedService(ServiceReference<View> reference, View view) {
    onUi(() -> update(reference), false);
  }

  @Override
  public void removedService(ServiceReference<View> reference, View view) {
    onUi(() -> remove(reference), true);
    context.ungetService(reference);
  }

  private void add(ServiceReference<View> reference, View view) {
    if (folder.isDisposed() || tabs.containsKey(reference)) {
      return;
    }
    SortKey key = SortKey.of(reference);
    Composite body = new Composite(folder, SWT.NONE);
    body.setLayout(new FillLayout());
    Tab tab = new Tab(reference, body, new TabSite(display, background, key.title(), statusLine), key);
    tab.item = new CTabItem(folder, SWT.NONE, indexFor(key));
    tab.item.setText(key.title());
    tab.item.setData(tab);
    tab.item.setControl(body);
    tabs.put(reference, tab);
    try {
      tab.part = Objects.requireNonNull(view.createPart(body, tab.site), "createPart returned null");
    } catch (RuntimeException | LinkageError e) {
      LOG.error("View '{}' could not be created", key.title(), e);
      for (var child : body.getChildren()) {
        child.dispose();
      }
      new Label(body, SWT.WRAP).setText("The view '" + key.title() + "' failed to open: " + e);
    }
    body.layout(true, true);
    if (folder.getSelection() == null || key.id().equals(pendingSelection)) {
      folder.setSelection(tab.item);
      if (key.id().equals(pendingSelection)) {
        pendingSelection = null;
      }
      if (tab.part != null) {
        tab.part.activated();
      }
    }
  }

  private void update(ServiceReference<View> reference) {
    Tab tab = tabs.get(reference);
    if (tab == null || folder.isDisposed()) {
      return;
    }
    SortKey key = SortKey.of(reference);
    tab.item.setText(key.title());
    if (SortKey.ORDER.compare(key, tab.key) == 0) {
      return;
    }
    // Move the tab: a new item at the new place takes over the same body, so the part keeps its state.
    boolean selected = folder.getSelection() == tab.item;
    tab.key = key;
    CTabItem old = tab.item;
    old.setControl(null);
    old.dispose();
    tab.item = new CTabItem(folder, SWT.NONE, indexFor(key));
    tab.item.setText(key.title());
    tab.item.setData(tab);
    tab.item.setControl(tab.body);
    if (selected) {
      folder.setSelection(tab.item);
    }
  }

  private void remove(ServiceReference<View> reference) {
    Tab tab = tabs.remove(reference);
    if (tab == null) {
      return;
    }
    tab.site.markDisposed();
    if (tab.part != null) {
      try {
        tab.part.dispose();
      } catch (RuntimeException | LinkageError e) {
        LOG.error("View '{}' failed to dispose", tab.key.title(), e);
      }
    }
    if (!tab.item.isDisposed()) {
      tab.item.dispose();
    }
    if (!tab.body.isDisposed()) {
      tab.body.dispose();
    }
    if (!folder.isDisposed() && folder.getSelection() == null && folder.getItemCount() > 0) {
      folder.setSelection(0);
    }
  }

  /** Where a tab with {@code key} goes among the current ones. */
  private int indexFor(SortKey key) {
    int index = 0;
    for (Tab other : tabs.values()) {
      if (other.item != null && !other.item.isDisposed() && SortKey.ORDER.compare(other.key, key) < 0) {
        index++;
      }
    }
    return Math.min(index, folder.getItemCount());
  }

  private Tab tabOf(CTabItem item) {
    return item == null ? null : (Tab) item.getData();
  }

  private void onUi(Runnable task, boolean wait) {
    if (display.isDisposed()) {
      return;
    }
    if (display.getThread() == Thread.currentThread()) {
      task.run();
      return;
    }
    try {
      if (wait) {
        display.syncExec(task);
      } else {
        display.asyncExec(task);
      }
    } catch (SWTException e) {
      // The window closed meanwhile; close() disposed every part.
    }
  }
}
