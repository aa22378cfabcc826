package io.goflow.exporter.acceptance;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution: {@code target/goflow-exporter-*.tar.gz} of collector-app, unpacked once
 * per test JVM into a temporary directory.
 */
final class Distribution
{
    private static Path launcher;

    private Distribution()
    {
    }

    /** @return {@code bin/goflow-exporter} of the unpacked tarball. */
    static synchronized Path launcher() throws IOException, InterruptedException
    {
        if (launcher != null)
        {
            return launcher;
        }
        final Path target = Paths.get("target").toAbsolutePath();
        final List<Path> tarballs = new ArrayList<>();
        if (Files.isDirectory(target))
        {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, "goflow-exporter-*.tar.gz"))
            {
                ds.forEach(tarballs::add);
            }
        }
        if (tarballs.size() != 1)
        {
            throw new IllegalStateException("expected exactly one " + target + "/goflow-exporter-*.tar.gz (run `mvn verify`, "
                + "which packages before the integration tests), found " + tarballs);
        }
        final Path dir = Files.createTempDirectory("goflow-dist-");
        TempFiles.deleteOnExit(dir);
        final Process tar = new ProcessBuilder("tar", "-xzf", tarballs.get(0).toString(), "-C", dir.toString())
            .redirectErrorStream(true).start();
        final String out = new String(tar.getInputStream().readAllBytes());
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0)
        {
            throw new IllegalStateException("tar -xzf " + tarballs.get(0) + " failed: " + out);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir))
        {
            for (final Path top : ds)
            {
                final Path bin = top.resolve("bin").resolve("goflow-exporter");
                if (Files.isExecutable(bin))
                {
                    launcher = bin;
                    return bin;
                }
            }
        }
        throw new IllegalStateException("no executable goflow-exporter-*/bin/goflow-exporter in " + tarballs.get(0));
    }
}
