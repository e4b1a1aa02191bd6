package io.vigil.sink.opcua.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/**
 * The server's application instance certificate: self-signed, created on first start and kept in
 * {@code PKI/server.pfx}, so clients that trusted it once keep trusting it after a restart.
 */
record ServerCertificate(KeyPair keyPair, X509Certificate certificate) {
  private static final String ALIAS = "vigil-opcua";
  /** Protects the file against nothing but a careless copy; the folder's permissions protect the key. */
  private static final char[] STORE_PASSWORD = "vigil".toCharArray();

  static ServerCertificate loadOrCreate(Path pki, String applicationUri, String hostname) throws Exception {
    Files.createDirectories(pki);
    Path file = pki.resolve("server.pfx");
    KeyStore store = KeyStore.getInstance("PKCS12");
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, STORE_PASSWORD);
      }
      Certificate certificate = store.getCertificate(ALIAS);
      if (store.getKey(ALIAS, STORE_PASSWORD) instanceof PrivateKey key && certificate instanceof X509Certificate x509) {
        return new ServerCertificate(new KeyPair(x509.getPublicKey(), key), x509);
      }
      throw new IOException(file + " holds no key and certificate under '" + ALIAS + "'; move it away to create a new one");
    }
    KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
        .setCommonName("Vigil inspection station")
        .setOrganization("Vigil")
        .setApplicationUri(applicationUri)
        .setValidityPeriod(Period.ofYears(10))
        .addDnsName("localhost");
    if (hostname.matches("[0-9.]+")) {
      builder.addIpAddress(hostname);
    } else if (!hostname.equals("localhost")) {
      builder.addDnsName(hostname);
    }
    X509Certificate certificate = builder.build();
    store.load(null, STORE_PASSWORD);
    store.setKeyEntry(ALIAS, keyPair.getPrivate(), STORE_PASSWORD, new Certificate[] {certificate});
    Path temporary = Files.createTempFile(pki, "server", ".pfx");
    try (OutputStream out = Files.newOutputStream(temporary)) {
      store.store(out, STORE_PASSWORD);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    return new ServerCertificate(keyPair, certificate);
  }
}
