package io.vigil.ui.swt;

import org.osgi.annotation.versioning.ConsumerType;

/** One view's widgets in one workbench window. */
@ConsumerType
public interface ViewPart {

  /** The operator selected this view's tab. UI thread. */
  default void activated() {}

  /**
   * Releases everything that is not a child widget of the part's parent: images, colours and fonts
   * it created, listeners and service registrations, running tasks. Called on the UI thread before
   * the parent composite is disposed.
   */
  void dispose();
}
