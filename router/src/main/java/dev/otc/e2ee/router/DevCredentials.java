package dev.otc.e2ee.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.UUID;

/**
 * A development application kept in a directory: {@code application-id}, {@code private.pem} (PKCS#8, mode 0600)
 * and {@code public.pem} (SPKI). Created on first use, reused after, so tokens minted by the CLI stay valid across
 * router restarts.
 */
public final class DevCredentials {

    public static final String APPLICATION_ID_FILE = "application-id";
    public static final String PRIVATE_KEY_FILE = "private.pem";
    public static final String PUBLIC_KEY_FILE = "public.pem";

    private final Path directory;
    private final String applicationId;
    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final boolean created;

    private DevCredentials(Path directory, String applicationId, PrivateKey privateKey, RSAPublicKey publicKey,
                           boolean created) {
        this.directory = directory;
        this.applicationId = applicationId;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.created = created;
    }

    /** A fresh application held only in memory (the embedded router's default). */
    public static DevCredentials generateInMemory() {
        KeyPair pair = newKeyPair();
        return new DevCredentials(null, UUID.randomUUID().toString(), pair.getPrivate(),
                (RSAPublicKey) pair.getPublic(), true);
    }

    /** Loads the application kept in {@code directory}, creating it (and the directory) if absent. */
    public static synchronized DevCredentials loadOrCreate(Path directory) {
        try {
            Path idFile = directory.resolve(APPLICATION_ID_FILE);
            Path privFile = directory.resolve(PRIVATE_KEY_FILE);
            Path pubFile = directory.resolve(PUBLIC_KEY_FILE);
            if (Files.exists(idFile) && Files.exists(privFile) && Files.exists(pubFile)) {
                String id = Files.readString(idFile, StandardCharsets.US_ASCII).trim();
                PrivateKey priv = PemKeys.parsePrivateKey(Files.readString(privFile, StandardCharsets.US_ASCII));
                RSAPublicKey pub = PemKeys.parsePublicKey(Files.readString(pubFile, StandardCharsets.US_ASCII));
                return new DevCredentials(directory, id, priv, pub, false);
            }
            return create(directory, idFile, privFile, pubFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use dev directory " + directory, e);
        }
    }

    /** Loads an existing dev directory without creating anything (the CLI's token command). */
    public static DevCredentials load(Path directory) {
        if (!Files.exists(directory.resolve(APPLICATION_ID_FILE))) {
            throw new IllegalArgumentException("no dev application in " + directory
                    + " (start 'serve --dev-dir " + directory + "' once to create it)");
        }
        return loadOrCreate(directory);
    }

    private static DevCredentials create(Path directory, Path idFile, Path privFile, Path pubFile) throws IOException {
        Files.createDirectories(directory);
        KeyPair pair = newKeyPair();
        String id = UUID.randomUUID().toString();
        Files.deleteIfExists(privFile);
        // Created with 0600 from the start: a chmod after writing would leave a window where others can read it.
        Files.createFile(privFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privFile, PemKeys.privateKeyPem(pair.getPrivate()), StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(pubFile, PemKeys.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
        // Written last: its presence marks a complete directory.
        Files.writeString(idFile, id + "\n", StandardCharsets.US_ASCII);
        return new DevCredentials(directory, id, pair.getPrivate(), (RSAPublicKey) pair.getPublic(), true);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return gen.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA unavailable", e);
        }
    }

    /** The directory, or null for in-memory credentials. */
    public Path directory() { return directory; }
    public String applicationId() { return applicationId; }
    public PrivateKey privateKey() { return privateKey; }
    public RSAPublicKey publicKey() { return publicKey; }
    /** True when this call generated the application (first start). */
    public boolean created() { return created; }

    @Override
    public String toString() {
        return "DevCredentials[" + applicationId + (directory == null ? "" : ", " + directory) + "]";
    }
}
