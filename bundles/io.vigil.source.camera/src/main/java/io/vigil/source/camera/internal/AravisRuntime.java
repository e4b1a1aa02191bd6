package io.vigil.source.camera.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Component;

/**
 * Aravis, loaded once for the bundle when first used. Discovery and opening or closing a camera
 * touch Aravis's global device list, so they run one at a time under {@link #globalLock()}; each
 * opened camera is then driven by one thread of its own.
 *
 * <p>Immediate, so it stays active while the bundle does even when no camera source uses it: a
 * delayed component would be deactivated with its last user, JNA then unloads the libraries once
 * their proxies are collected, and a GObject library loaded again in the same process finds its
 * types still registered ("cannot register existing type 'ArvInterface'") and no camera works.
 */
@Component(service = AravisRuntime.class, immediate = true)
public class AravisRuntime {
  static final String INSTALL_HINT = "install Aravis 0.8 (Debian/Ubuntu: apt-get install libaravis-0.8-0)";
  // Versioned names first: the unversioned .so link exists only with the -dev package.
  private static final String[] ARAVIS_NAMES = {"libaravis-0.8.so.0", "aravis-0.8"};
  private static final String[] GLIB_NAMES = {"libglib-2.0.so.0", "glib-2.0"};
  private static final String[] GOBJECT_NAMES = {"libgobject-2.0.so.0", "gobject-2.0"};

  private final ReentrantLock lock = new ReentrantLock();
  private volatile Bindings bindings;

  /** The loaded libraries. */
  record Bindings(AravisLibrary aravis, GLibrary.GLib glib, GLibrary.GObject gobject) {}

  /**
   * The Aravis, GLib and GObject bindings, loaded on first use.
   *
   * @throws CameraException naming the package to install when Aravis is missing
   */
  Bindings bindings() throws CameraException {
    Bindings loaded = bindings;
    if (loaded != null) {
      return loaded;
    }
    lock.lock();
    try {
      if (bindings == null) {
        bindings = new Bindings(
            load(ARAVIS_NAMES, AravisLibrary.class), load(GLIB_NAMES, GLibrary.GLib.class),
            load(GOBJECT_NAMES, GLibrary.GObject.class));
      }
      return bindings;
    } finally {
      lock.unlock();
    }
  }

  ReentrantLock globalLock() {
    return lock;
  }

  /** Every camera Aravis finds now (GigE Vision discovery takes about a second). */
  List<CameraInfo> discover() throws CameraException {
    AravisLibrary arv = bindings().aravis();
    lock.lock();
    try {
      arv.arv_update_device_list();
      int count = arv.arv_get_n_devices();
      List<CameraInfo> cameras = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        cameras.add(new CameraInfo(arv.arv_get_device_id(i), arv.arv_get_device_vendor(i), arv.arv_get_device_model(i),
            arv.arv_get_device_serial_nbr(i), arv.arv_get_device_protocol(i), arv.arv_get_device_address(i)));
      }
      return cameras;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Throws a {@link CameraException} with the message of the GError in {@code error}, if any, and
   * frees the GError.
   */
  void check(PointerByReference error, String action) throws CameraException {
    Pointer pointer = error.getValue();
    if (pointer == null) {
      return;
    }
    error.setValue(null);
    GLibrary.GError gerror = new GLibrary.GError(pointer);
    String message = gerror.message;
    bindings().glib().g_error_free(pointer);
    throw new CameraException(action + ": " + message);
  }

  private static <T extends com.sun.jna.Library> T load(String[] names, Class<T> type) throws CameraException {
    UnsatisfiedLinkError last = null;
    for (String name : names) {
      try {
        return Native.load(name, type);
      } catch (UnsatisfiedLinkError e) {
        last = e;
      }
    }
    throw new CameraException("cannot load " + names[names.length - 1] + ": " + INSTALL_HINT, last);
  }
}
