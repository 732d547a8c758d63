package io.sensorhub.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, the Dockerfile and the nginx files, checked without Docker (none runs here): structure,
 * health checks, start order, secrets only from .env, and the jars the images are built from.
 */
class DeploymentFilesTest {

    private static final List<String> APPLICATIONS = List.of("crud-service-1", "crud-service-2", "sensor-consumer-1",
            "sensor-consumer-2", "notifier-job-1", "notifier-job-2");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?][^}]*)?}");

    private static Path root;

    private static String composeText;

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readCompose() throws Exception {
        root = Quickstart.repositoryRoot();
        composeText = Files.readString(root.resolve("docker-compose.yml"));
        Map<String, Object> compose = new Yaml().load(composeText);
        services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat((Map<String, Object>) compose.get("volumes")).containsKeys("postgres-data", "rabbitmq-data");
    }

    @Test
    void everyPartIsThereWithAHealthCheck() {
        assertThat(services).containsKeys("postgres", "rabbitmq", "redis", "nginx");
        assertThat(services).containsKeys(APPLICATIONS.toArray(String[]::new));
        services.forEach((name, service) -> assertThat(service).as(name).containsKey("healthcheck"));
        services.forEach((name, service) -> assertThat(healthTest(service)).as(name).isNotEmpty());
    }

    @Test
    void applicationsStartOnlyAfterHealthyServersAndNginxAfterHealthyApis() {
        for (String application : APPLICATIONS) {
            assertThat(dependsOn(application)).as(application)
                .containsEntry("postgres", Map.of("condition", "service_healthy"))
                .containsEntry("rabbitmq", Map.of("condition", "service_healthy"))
                .containsEntry("redis", Map.of("condition", "service_healthy"));
        }
        assertThat(dependsOn("nginx")).containsEntry("crud-service-1", Map.of("condition", "service_healthy"))
            .containsEntry("crud-service-2", Map.of("condition", "service_healthy"));
    }

    @Test
    void secretsComeOnlyFromTheEnvFile() throws IOException {
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            Object environment = service.getValue().get("environment");
            if (environment instanceof Map<?, ?> variables) {
                variables.forEach((name, value) -> {
                    if (name.toString().matches(".*(PASSWORD|TOKEN|SECRET|PASS).*")) {
                        assertThat(value.toString()).as(service.getKey() + " " + name).matches("\\$\\{[A-Z0-9_]+:\\?[^}]+}");
                    }
                });
            }
        }
        Set<String> referenced = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(composeText);
        while (matcher.find()) {
            referenced.add(matcher.group(1));
        }
        String example = Files.readString(root.resolve(".env.example"));
        referenced.forEach(variable -> assertThat(example).as(".env.example").containsPattern("(?m)^" + variable + "="));
        assertThat(Files.readString(root.resolve(".gitignore"))).containsPattern("(?m)^\\.env$");
    }

    @Test
    void eachApplicationImageIsBuiltFromAJarTheBuildProduces() throws IOException {
        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        assertThat(dockerfile).contains("${MODULE}/target/${MODULE}.jar", "-Djarmode=tools", "--layers",
                "USER sensorhub", "org.springframework.boot.loader.launch.JarLauncher", "MaxRAMPercentage");
        assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count()).isGreaterThanOrEqualTo(3);
        for (String application : APPLICATIONS) {
            String module = buildArgument(application);
            assertThat(application).startsWith(module);
            assertThat(root.resolve(module).resolve("target").resolve(module + ".jar")).as(application).isRegularFile();
        }
    }

    @Test
    void nginxFilesTheComposeFileMountsExist() {
        assertThat(root.resolve("nginx/nginx.conf")).isRegularFile();
        assertThat(root.resolve("nginx/upstream.docker.conf")).content().contains("crud-service-1:8080", "crud-service-2:8080");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dependsOn(String service) {
        return (Map<String, Object>) services.get(service).get("depends_on");
    }

    @SuppressWarnings("unchecked")
    private static List<String> healthTest(Map<String, Object> service) {
        return (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test");
    }

    @SuppressWarnings("unchecked")
    private static String buildArgument(String service) {
        Map<String, Object> build = (Map<String, Object>) services.get(service).get("build");
        return ((Map<String, String>) build.get("args")).get("MODULE");
    }
}
