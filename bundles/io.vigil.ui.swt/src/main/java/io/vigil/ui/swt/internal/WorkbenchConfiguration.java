package io.vigil.ui.swt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Vigil workbench", description = "The station client's window.")
@interface WorkbenchConfiguration {

  @AttributeDefinition(
      name = "Print GTK warnings",
      description = "Let GTK and GLib print their warnings to the console. Off by default: they are about GTK's "
          + "own layout bookkeeping (e.g. 'Negative content height' while a hidden tab is sized 1x1), not about "
          + "the station, and they buried real failures in logs. Turn on when debugging the client's look.")
  boolean gtk_warnings() default false;
}
