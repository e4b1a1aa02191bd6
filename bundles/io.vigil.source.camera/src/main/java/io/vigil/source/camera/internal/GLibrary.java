package io.vigil.source.camera.internal;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** GLib and GObject calls for freeing what Aravis hands out. */
interface GLibrary {

  /** libglib-2.0. */
  interface GLib extends Library {
    void g_free(Pointer memory);

    void g_error_free(Pointer error);
  }

  /** libgobject-2.0. */
  interface GObject extends Library {
    void g_object_unref(Pointer object);
  }

  /** {@code struct GError { GQuark domain; gint code; gchar *message; }} */
  @Structure.FieldOrder({"domain", "code", "message"})
  final class GError extends Structure {
    public int domain;
    public int code;
    public String message;

    public GError(Pointer pointer) {
      super(pointer);
      read();
    }
  }
}
