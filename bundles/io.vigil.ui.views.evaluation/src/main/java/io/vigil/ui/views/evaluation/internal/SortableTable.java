package io.vigil.ui.views.evaluation.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

/** A table whose rows sort by the clicked column, numbers as numbers; click again to reverse. */
final class SortableTable {
  private final Table table;
  private final boolean[] numeric;
  private List<String[]> rows = List.of();
  private int sortColumn = -1;
  private boolean ascending = true;

  SortableTable(Composite parent, String id, String[] titles, int[] widths, boolean[] numeric) {
    this.numeric = numeric;
    table = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
    table.setHeaderVisible(true);
    table.setLinesVisible(true);
    table.setData(io.vigil.ui.swt.View.WIDGET_ID, id);
    table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    for (int i = 0; i < titles.length; i++) {
      TableColumn column = new TableColumn(table, numeric[i] ? SWT.RIGHT : SWT.LEFT);
      column.setText(titles[i]);
      column.setWidth(widths[i]);
      int index = i;
      column.addListener(SWT.Selection, event -> sortBy(index));
    }
  }

  Table table() {
    return table;
  }

  /** Shows these rows, keeping the operator's sort if there is one. */
  void setRows(List<String[]> newRows) {
    rows = new ArrayList<>(newRows);
    if (sortColumn >= 0) {
      rows.sort(comparator(sortColumn, ascending));
    }
    refill();
  }

  /** Sorts by {@code column}; the same column again reverses the order. */
  void sortBy(int column) {
    ascending = column == sortColumn ? !ascending : true;
    sortColumn = column;
    rows.sort(comparator(column, ascending));
    table.setSortColumn(table.getColumn(column));
    table.setSortDirection(ascending ? SWT.UP : SWT.DOWN);
    refill();
  }

  private Comparator<String[]> comparator(int column, boolean up) {
    Comparator<String[]> order = numeric[column]
        ? Comparator.comparingDouble(row -> parse(row[column]))
        : Comparator.comparing(row -> row[column], String.CASE_INSENSITIVE_ORDER);
    return up ? order : order.reversed();
  }

  private static double parse(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private void refill() {
    table.setRedraw(false);
    table.removeAll();
    for (String[] row : rows) {
      new TableItem(table, SWT.NONE).setText(row);
    }
    table.setRedraw(true);
  }
}
