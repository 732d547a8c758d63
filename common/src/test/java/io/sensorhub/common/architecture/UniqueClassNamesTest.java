package io.sensorhub.common.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No two classes of the project, in any module, main or test, share a simple name: a
 * reader who meets a name knows which class it is.
 */
class UniqueClassNamesTest {

    /**
     * The project's root: the parent of this module's directory (where the tests run).
     */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void everySimpleClassNameIsUsedOnce() throws IOException {
        assertThat(ROOT.resolve("common/src/main/java")).isDirectory();
        Map<String, List<Path>> byName;
        try (Stream<Path> files = Files.walk(ROOT)) {
            byName = files.filter(UniqueClassNamesTest::isClassSource)
                .collect(Collectors.groupingBy(file -> file.getFileName().toString()));
        }
        assertThat(byName).hasSizeGreaterThan(100);
        Map<String, List<Path>> duplicates = byName.entrySet()
            .stream()
            .filter(entry -> entry.getValue().size() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicates).as("simple names used by more than one class").isEmpty();
    }

    private static boolean isClassSource(Path file) {
        String name = file.getFileName().toString();
        String path = ROOT.relativize(file).toString();
        return name.endsWith(".java") && !name.equals("package-info.java") && path.contains("/src/")
                && !path.contains("/target/") && !path.startsWith(".");
    }

}
