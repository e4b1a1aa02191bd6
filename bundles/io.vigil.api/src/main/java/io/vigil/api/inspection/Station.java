package io.vigil.api.inspection;

import org.osgi.annotation.versioning.ProviderType;

/** The running inspection loop, as seen by views and commands. */
@ProviderType
public interface Station {
  StationStatus status();
}
