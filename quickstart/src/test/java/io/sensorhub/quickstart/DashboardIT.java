package io.sensorhub.quickstart;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpServer;
import io.sensorhub.common.readings.ReadingTopology;
import io.sensorhub.common.test.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven through its
 * chromedriver by Selenium, against the three services' jars on this run's own database,
 * virtual host and Redis prefix. A person pastes a client token, sees the sensors, a
 * reading published over AMQP turns one CRITICAL on the page through the event stream,
 * and its page shows the chart and the change in its timeline. Screenshots for people are
 * saved as {@code quickstart/target/dashboard*.png}. Skipped where
 * {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing ({@code .ci/run}
 * installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Duration UI_TIMEOUT = Duration.ofSeconds(20);

    private final TestServices services = TestServices.get();

    private final ServiceJars jars = new ServiceJars(this.services, "dashboard-it");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Path target = Path.of("target").toAbsolutePath();

    private HttpServer receiver;

    private Path userData;

    private ChromeDriverService driverService;

    private WebDriver browser;

    private URI base;

    private String clientToken;

    @BeforeAll
    void startServicesAndBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver): "
                        + ".ci/run installs them; the dashboard's browser test is skipped");
        List<ServiceProcess> processes = new ArrayList<>();
        for (String name : List.of("crud-service", "sensor-consumer", "notifier-job")) {
            processes.add(this.jars.launch(name, Map.of())); // all three start at once
        }
        for (ServiceProcess process : processes) {
            process.awaitReady();
        }
        this.base = URI.create("http://127.0.0.1:" + processes.get(0).port() + "/");
        this.receiver = receiver();
        demoData();
        this.browser = chromium();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (this.browser != null) {
            this.browser.quit();
        }
        if (this.driverService != null) {
            this.driverService.stop();
        }
        if (this.receiver != null) {
            this.receiver.stop(0);
        }
        this.jars.close();
        if (this.userData != null) {
            try (Stream<Path> files = Files.walk(this.userData)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void aPublishedReadingTurnsASensorCriticalOnThePageAndItsPageChartsIt() throws Exception {
        try {
            loginSeeTheChangeAndOpenTheChart();
        }
        catch (Exception | AssertionError ex) {
            screenshot("dashboard-failure.png"); // what the page showed, for whoever
                                                 // reads the failure
            throw ex;
        }
    }

    private void loginSeeTheChangeAndOpenTheChart() throws Exception {
        this.browser.get(this.base.toString());
        WebElement token = awaitVisible(By.id("token"));
        token.sendKeys(this.clientToken);
        token.sendKeys(Keys.ENTER); // the keyboard alone submits the form
        awaitText(By.cssSelector("tr[data-sensor-id='boiler-7'] td.status"), "OK");
        assertThat(this.browser.findElements(By.cssSelector("table.sensors tbody tr"))).hasSize(4);
        awaitText(By.cssSelector("#silences"), "tank cleaning");
        awaitText(By.cssSelector("#webhooks"), "Healthy");
        // the stream is connected before the reading is published: the change must come
        // through it
        await().atMost(UI_TIMEOUT)
            .until(() -> "live".equals(this.browser.findElement(By.id("connection")).getAttribute("data-state")));

        Instant published = Instant.now();
        publish("boiler-7", List.of(reading("boiler-7", published.truncatedTo(ChronoUnit.MILLIS), 97.5)));
        awaitText(By.cssSelector("tr[data-sensor-id='boiler-7'] td.status"), "CRITICAL");
        System.out.printf("dashboard: boiler-7 shown CRITICAL %d ms after its reading was published%n",
                Duration.between(published, Instant.now()).toMillis());
        assertThat(
                this.browser.findElement(By.cssSelector("tr[data-sensor-id='boiler-7'] .badge")).getAttribute("class"))
            .contains("status-CRITICAL");
        assertThat(this.browser.findElement(By.id("announcer")).getAttribute("textContent"))
            .contains("Boiler 7: OK → CRITICAL");
        assertThat(this.browser.findElement(By.id("summary")).getText()).contains("1 CRITICAL");
        assertThat(this.browser.getCurrentUrl()).doesNotContain(this.clientToken);
        screenshot("dashboard.png");

        this.browser.findElement(By.linkText("Boiler 7")).click();
        awaitVisible(By.cssSelector("#chart canvas"));
        awaitText(By.cssSelector("#timeline li[data-sequence='2']"), "CRITICAL");
        assertThat(this.browser.findElement(By.cssSelector("#timeline li[data-sequence='2']")).getText()).contains("OK",
                "97.5");
        assertThat(this.browser.findElement(By.id("chart-caption")).getText())
            .contains("dashed lines are the thresholds");
        assertThat(this.browser.findElement(By.id("sensor-header")).getText()).contains("critical high 95");
        screenshot("dashboard-sensor.png");

        WebElement day = this.browser.findElement(By.cssSelector("button[data-range='day']"));
        day.click();
        await().atMost(UI_TIMEOUT).until(() -> "true".equals(day.getAttribute("aria-pressed")));
        awaitText(By.id("chart-caption"), "Last day");
        awaitVisible(By.cssSelector("#chart canvas"));

        this.browser.manage().window().setSize(new Dimension(375, 812));
        this.browser.get(this.base.toString());
        awaitText(By.cssSelector("tr[data-sensor-id='boiler-7'] td.status"), "CRITICAL");
        Object overflow = ((JavascriptExecutor) this.browser)
            .executeScript("return document.documentElement.scrollWidth > window.innerWidth");
        assertThat(overflow).as("the page scrolls sideways at phone width").isEqualTo(false);
        screenshot("dashboard-phone.png");
        this.browser.manage().window().setSize(new Dimension(1280, 1000));

        this.browser.findElement(By.id("logout")).click();
        awaitVisible(By.id("token"));
        assertThat(((JavascriptExecutor) this.browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
        assertThat(cspViolations()).isEmpty();
    }

    @Test
    void theStreamParserFollowsTheServerSentEventsRules() {
        this.browser.get(this.base.toString());
        Object events = ((JavascriptExecutor) this.browser).executeAsyncScript(
                """
                        const done = arguments[arguments.length - 1];
                        import(new URL('dashboard/sse.js', document.baseURI).href).then(({ SseParser }) => {
                          const events = [];
                          const parser = new SseParser((event) => events.push(event));
                          // chunks cut anywhere, a CRLF split between two of them, comments, a field without a colon
                          ['id: 1\\r', '\\nevent: sensor.status_changed\\r\\ndata: {"a":', '1}\\r\\n\\r', '\\n: keep-alive\\n\\n',
                           'data: one\\ndata:two\\n\\n', 'id: 3\\nevent: stream.reset\\ndata\\n\\n', 'id: 4\\n\\n', 'data: x']
                            .forEach((chunk) => parser.push(chunk));
                          done(JSON.stringify({ events, lastEventId: parser.lastEventId }));
                        }, (error) => done('failed: ' + error));
                        """);
        assertThat(events).isEqualTo("""
                {"events":[{"id":"1","type":"sensor.status_changed","data":"{\\"a\\":1}"},\
                {"id":"1","type":"message","data":"one\\ntwo"},{"id":"3","type":"stream.reset","data":""}],\
                "lastEventId":"4"}""");
    }

    // ---- the services' side
    // ------------------------------------------------------------------------------

    /**
     * A client with four sensors and an hour of readings, a webhook to a receiver here,
     * and an active silence: what a person would see.
     */
    private void demoData() throws Exception {
        this.clientToken = send("POST", "api/v1/clients", this.jars.adminToken(), "{\"name\": \"dashboard\"}", 201)
            .path("token")
            .asString();
        sensor("boiler-7", "Boiler 7", "°C", "{\"warnHigh\": 80, \"critHigh\": 95}");
        sensor("freezer-2", "Freezer 2", "°C", "{\"warnHigh\": -15, \"critHigh\": -10}");
        sensor("pump-3", "Pump 3 pressure", "bar", "{\"warnLow\": 1.5, \"critLow\": 1, \"warnHigh\": 6}");
        sensor("tank-4", "Tank 4 level", "%", "{\"warnLow\": 20, \"critLow\": 10}");
        send("POST", "api/v1/webhooks", this.clientToken, "{\"url\": \"http://127.0.0.1:"
                + this.receiver.getAddress().getPort() + "/hook\", \"description\": \"on-call pager\"}", 201);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int k = 50; k >= 1; k--) {
            Instant at = now.minus(k, ChronoUnit.MINUTES);
            double wave = Math.sin(k / 6.0);
            // boiler-7 and freezer-2 in one message each minute, like a gateway's batch
            publish("boiler-7", List.of(reading("boiler-7", at, 68 + 8 * wave)));
            publish("freezer-2", List.of(reading("freezer-2", at, -18.5 + wave)));
            publish("pump-3", List.of(reading("pump-3", at, 3.2 + 0.4 * wave)));
            if (k > 30) {
                publish("tank-4", List.of(reading("tank-4", at, 30 - (50 - k) * 0.8)));
            }
        }
        // every sensor has its first status (tank-4 ends WARNING) before the page opens
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode sensors = send("GET", "api/v1/sensors", this.clientToken, null, 200).path("items");
            int reported = 0;
            for (JsonNode sensor : sensors) {
                reported += (sensor.path("state").path("sequence").asLong() > 0) ? 1 : 0;
            }
            return reported == 4;
        });
        send("POST", "api/v1/silences", this.clientToken,
                "{\"sensorIds\": [\"tank-4\"], \"comment\": \"tank cleaning\", \"startsAt\": \"" + now
                        + "\", \"endsAt\": \"" + now.plus(2, ChronoUnit.HOURS) + "\"}",
                201);
        // the webhook has its first deliveries (one per sensor's first change) before its
        // health is read
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode webhooks = send("GET", "api/v1/webhooks", this.clientToken, null, 200).path("items");
            JsonNode stats = send("GET", "api/v1/webhooks/" + webhooks.get(0).path("id").asString() + "/stats",
                    this.clientToken, null, 200);
            return stats.path("succeededLastHour").asInt() > 0;
        });
    }

    private void sensor(String id, String name, String unit, String thresholds) throws Exception {
        send("POST", "api/v1/sensors", this.clientToken, "{\"id\": \"" + id + "\", \"name\": \"" + name
                + "\", \"unit\": \"" + unit + "\", \"heartbeatSeconds\": 3600, \"thresholds\": " + thresholds + "}",
                201);
    }

    private static String reading(String sensor, Instant at, double value) {
        return "{\"sensorId\": \"" + sensor + "\", \"timestamp\": \"" + at + "\", \"value\": "
                + Math.round(value * 100) / 100.0 + "}";
    }

    /** Publishes the readings as one message (a JSON array), confirmed by the broker. */
    private void publish(String sensor, List<String> readings) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(this.services.amqpHost());
        factory.setPort(this.services.amqpPort());
        factory.setUsername(this.services.amqpUser());
        factory.setPassword(this.services.amqpPassword());
        factory.setVirtualHost(this.services.amqpVirtualHost());
        try (Connection connection = factory.newConnection("dashboard-it");
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(this.services.amqpPrefix() + ReadingTopology.EXCHANGE,
                    ReadingTopology.ROUTING_KEY_PREFIX + sensor,
                    new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                    ("[" + String.join(",", readings) + "]").getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(30_000);
        }
    }

    private JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(this.base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method,
                    (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return JsonMapper.shared().readTree(response.body());
    }

    /**
     * A webhook receiver that accepts everything (signatures are other tests' business).
     */
    private static HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (exchange) -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    // ---- the browser's side
    // ------------------------------------------------------------------------------

    /**
     * Debian's Chromium through Debian's chromedriver, both named, so Selenium Manager
     * never looks for (or downloads) a browser or a driver; a fresh profile of its own.
     */
    private WebDriver chromium() throws IOException {
        this.userData = Files.createTempDirectory("dashboard-it-chromium");
        Files.createDirectories(this.target.resolve("dashboard-it"));
        this.driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(this.target.resolve("dashboard-it/chromedriver.log").toFile())
            .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + this.userData, "--window-size=1280,1000", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(this.driverService, options);
    }

    private WebElement awaitVisible(By locator) {
        await().atMost(UI_TIMEOUT).ignoreExceptions().until(() -> this.browser.findElement(locator).isDisplayed());
        return this.browser.findElement(locator);
    }

    private void awaitText(By locator, String text) {
        await().atMost(UI_TIMEOUT)
            .ignoreExceptions()
            .until(() -> this.browser.findElement(locator).getText().contains(text));
    }

    private void screenshot(String name) throws IOException {
        Path file = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, this.target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("dashboard: screenshot " + this.target.resolve(name));
    }

    /** What the browser reported of the page breaking its Content-Security-Policy. */
    private List<String> cspViolations() {
        List<String> violations = new ArrayList<>();
        for (LogEntry entry : this.browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getMessage().contains("Content Security Policy")) {
                violations.add(entry.getMessage());
            }
        }
        return violations;
    }

}
