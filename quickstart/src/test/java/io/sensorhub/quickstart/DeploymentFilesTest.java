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

import io.sensorhub.common.readings.ReadingTopology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, the Dockerfile and the nginx files, checked without Docker (none
 * runs here): structure, health checks, start order, secrets only from .env,
 * least-privilege accounts, and the jars the images are built from.
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
                        assertThat(value.toString()).as(service.getKey() + " " + name)
                            .matches("\\$\\{[A-Z0-9_]+:\\?[^}]+}");
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
        referenced
            .forEach(variable -> assertThat(example).as(".env.example").containsPattern("(?m)^" + variable + "="));
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
        assertThat(root.resolve("nginx/upstream.docker.conf")).content()
            .contains("crud-service-1:8080", "crud-service-2:8080");
    }

    @Test
    void applicationsUseNeitherTheDatabaseSuperuserNorTheBrokerAdministrator() {
        Map<String, Object> postgres = environment("postgres");
        Map<String, Object> rabbitmq = environment("rabbitmq");
        for (String application : APPLICATIONS) {
            Map<String, Object> environment = environment(application);
            assertThat(environment.get("SPRING_DATASOURCE_USERNAME")).as(application)
                .isEqualTo("sensorhub_app")
                .isNotEqualTo(postgres.get("POSTGRES_USER"));
            assertThat(environment.get("SPRING_FLYWAY_USER")).as(application).isEqualTo("sensorhub_owner");
            assertThat(environment.get("SPRING_DATASOURCE_PASSWORD")).as(application)
                .isNotEqualTo(postgres.get("POSTGRES_PASSWORD"))
                .isNotEqualTo(environment.get("SPRING_FLYWAY_PASSWORD"));
        }
        Map<String, Object> consumer = environment("sensor-consumer-1");
        assertThat(consumer.get("SPRING_RABBITMQ_USERNAME")).isEqualTo(rabbitmq.get("SENSORHUB_RABBITMQ_USER"))
            .isNotEqualTo(rabbitmq.get("RABBITMQ_DEFAULT_USER"));
        assertThat(consumer.get("SPRING_RABBITMQ_PASSWORD")).isEqualTo(rabbitmq.get("SENSORHUB_RABBITMQ_PASSWORD"))
            .isNotEqualTo(rabbitmq.get("RABBITMQ_DEFAULT_PASS"));
    }

    @Test
    void onlySensorConsumerIsGivenBrokerCredentials() {
        for (String application : APPLICATIONS) {
            boolean consumer = application.startsWith("sensor-consumer");
            assertThat(environment(application).containsKey("SPRING_RABBITMQ_PASSWORD")).as(application)
                .isEqualTo(consumer);
        }
    }

    @Test
    void notifierJobIsNotGivenRedis() {
        for (String application : APPLICATIONS) {
            boolean notifier = application.startsWith("notifier-job");
            assertThat(environment(application).containsKey("SPRING_DATA_REDIS_HOST")).as(application)
                .isNotEqualTo(notifier);
        }
    }

    @Test
    void postgresCreatesAnOwnerForMigrationsAndADataOnlyRuntimeRole() throws IOException {
        assertThat(volumes("postgres"))
            .contains("./postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-sensorhub-roles.sh:ro");
        Path script = root.resolve("postgres/init-roles.sh");
        assertThat(Files.isExecutable(script)).isTrue();
        String roles = Files.readString(script);
        assertThat(roles).contains("set -euo pipefail", "ON_ERROR_STOP=1",
                "CREATE ROLE sensorhub_owner LOGIN PASSWORD :'owner_password'",
                "CREATE ROLE sensorhub_app LOGIN PASSWORD :'app_password'",
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sensorhub_app");
        String sql = roles.substring(roles.indexOf("<<'SQL'")).toUpperCase(java.util.Locale.ROOT);
        assertThat(sql).doesNotContain("SUPERUSER", "CREATEDB", "CREATEROLE", "GRANT ALL", "TRUNCATE");
        // partitions are created at run time by the data-only role through the owner's
        // function
        assertThat(root.resolve("common/src/main/resources/db/migration/V60__partition_maintenance_as_owner.sql"))
            .content()
            .contains("SECURITY DEFINER", "SET search_path FROM CURRENT");
    }

    @Test
    void rabbitmqCreatesAServicesUserLimitedToSensorHubResources() throws IOException {
        Map<String, Object> rabbitmq = services.get("rabbitmq");
        assertThat(rabbitmq.get("entrypoint")).isEqualTo(List.of("bash", "/usr/local/bin/sensorhub-init-users.sh"));
        assertThat(volumes("rabbitmq")).contains("./rabbitmq/init-users.sh:/usr/local/bin/sensorhub-init-users.sh:ro");
        assertThat(String.join(" ", healthTest(rabbitmq))).contains("/tmp/sensorhub-users-ready");
        String script = Files.readString(root.resolve("rabbitmq/init-users.sh"));
        assertThat(script).contains("docker-entrypoint.sh rabbitmq-server &", "touch \"$ready\"",
                "printf '%s' \"$SENSORHUB_RABBITMQ_PASSWORD\" | rabbitmqctl add_user \"$user\"",
                "printf '%s' \"$SENSORHUB_RABBITMQ_PASSWORD\" | rabbitmqctl change_password \"$user\"");
        Matcher permissions = Pattern.compile("set_permissions -p / \"\\$user\" '([^']+)' '([^']+)' '([^']+)'")
            .matcher(script);
        assertThat(permissions.find()).as("set_permissions").isTrue();
        for (int i = 1; i <= 3; i++) {
            String pattern = permissions.group(i);
            assertThat(pattern).as("permission " + i).startsWith("^").doesNotStartWith("^.*").isNotEqualTo(".*");
            assertThat(Pattern.compile(pattern).matcher(ReadingTopology.EXCHANGE).matches()).isTrue();
            assertThat(Pattern.compile(pattern).matcher("other.queue").matches()).isFalse();
        }
        assertThat(Pattern.compile(permissions.group(1)).matcher("amq.topic").matches())
            .as("no configure right on the broker's own exchanges")
            .isFalse();
        assertThat(Pattern.compile(permissions.group(3)).matcher("amq.topic").matches())
            .as("read right on amq.topic: binding the ingest to MQTT's exchange")
            .isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBrokerRunsTheConsistentHashExchangeAndMqttPlugins() throws IOException {
        assertThat(volumes("rabbitmq")).contains("./rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins:ro");
        Matcher list = Pattern.compile("^\\[([a-z_,\\s]+)]\\.\\s*$")
            .matcher(Files.readString(root.resolve("rabbitmq/enabled_plugins")));
        assertThat(list.matches()).as("an Erlang list of plugin names ending with a dot").isTrue();
        assertThat(list.group(1).split("\\s*,\\s*")).containsExactlyInAnyOrder("rabbitmq_management",
                "rabbitmq_prometheus", "rabbitmq_consistent_hash_exchange", "rabbitmq_mqtt");
        assertThat(Files.readString(root.resolve("rabbitmq/sensorhub.conf")))
            .containsPattern("(?m)^mqtt\\.listeners\\.tcp\\.default = 1883$")
            .containsPattern("(?m)^mqtt\\.allow_anonymous = false$");
        assertThat((List<Object>) services.get("rabbitmq").get("expose")).map(Object::toString).contains("1883");
    }

    @Test
    void theBrokerRefusesMessagesLargerThanTwiceTheConsumersLimit() throws IOException {
        assertThat(volumes("rabbitmq")).contains("./rabbitmq/sensorhub.conf:/etc/rabbitmq/conf.d/20-sensorhub.conf:ro");
        Matcher limit = Pattern.compile("(?m)^max_message_size = (\\d+)$")
            .matcher(Files.readString(root.resolve("rabbitmq/sensorhub.conf")));
        assertThat(limit.find()).as("max_message_size").isTrue();
        // above sensor-consumer's 1 MiB, so a message between the two is dead-lettered
        // too-large, not refused
        assertThat(Long.parseLong(limit.group(1))).isEqualTo(2L * 1024 * 1024);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(String service) {
        return (List<String>) services.get(service).get("volumes");
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
