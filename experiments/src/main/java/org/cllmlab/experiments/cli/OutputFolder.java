package org.cllmlab.experiments.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output folder before any work starts: it exists or can be made, it is a folder, and this user
 * may write in it. A problem is one line naming the flag, the folder and what is wrong; nothing has run.
 */
final class OutputFolder {

    private OutputFolder() {
    }

    /**
     * @param flag   the option that named it, e.g. {@code --out}
     * @param folder the folder
     * @param create whether to make it (and try a file in it) now; without, only its path is checked
     * @throws UserError naming the flag, the folder and the cause
     */
    static void check(String flag, Path folder, boolean create) {
        Path abs = folder.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new UserError(flag + ": '" + folder + "' cannot be a folder: '" + existing + "' is a file; expected a"
                    + " folder that exists or can be made");
        }
        if (!create) {
            return;
        }
        try {
            Files.createDirectories(abs);
            Path probe = Files.createTempFile(abs, ".cllm-lab-", ".probe");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new UserError(flag + ": '" + folder + "' is not writable by this user (permission denied on '"
                    + e.getFile() + "'); expected a folder you may write, or another " + flag, e);
        } catch (FileSystemException e) {
            String why = e.getReason() != null ? e.getReason() + " on '" + e.getFile() + "'"
                    : "the file system refused to make '" + e.getFile() + "'";
            throw new UserError(flag + ": '" + folder + "' cannot be made or written (" + why
                    + "); expected a folder you may write, or another " + flag, e);
        } catch (IOException e) {
            throw new UserError(flag + ": '" + folder + "' cannot be made or written (" + e.getMessage()
                    + "); expected a folder you may write, or another " + flag, e);
        }
    }
}
