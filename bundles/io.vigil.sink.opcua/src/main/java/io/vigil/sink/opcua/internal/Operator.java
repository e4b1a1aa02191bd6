package io.vigil.sink.opcua.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.identity.AbstractUsernameIdentityValidator;

/** Who a session is: anonymous (reads only) or the configured user (may also write and call). */
record Operator(String name, boolean mayControl) {
  static final Operator ANONYMOUS = new Operator("anonymous", false);

  /** True when {@code identity} (a session's identity object) may write and call methods. */
  static boolean mayControl(Object identity) {
    return identity instanceof Operator operator && operator.mayControl();
  }

  /** Accepts anonymous sessions as readers and the one configured user (if any) as the controller. */
  static final class Validator extends AbstractUsernameIdentityValidator<Operator> {
    private final String username;
    private final byte[] password;

    Validator(String username, String password) {
      this.username = username;
      this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected Operator authenticateAnonymous(Session session) {
      return ANONYMOUS;
    }

    @Override
    protected Operator authenticateUsernamePassword(Session session, String user, String secret) {
      boolean known = !username.isEmpty() && username.equals(user)
          // Constant time: the comparison must not tell a guesser how much of the password was right.
          && MessageDigest.isEqual(password, secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8));
      return known ? new Operator(user, true) : null; // null: Milo refuses the session (bad user or password)
    }
  }
}
