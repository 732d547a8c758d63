package io.sensorhub.crud.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sensorhub.crud.support.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over real HTTP (the welcome page is a forward, which MockMvc does not
 * follow): the page and its files are served without a token and confined by their
 * headers, while the API still needs one.
 */
class DashboardPageIntegrationTest extends ApiIntegrationTest {

    private static final Pattern IMPORT = Pattern.compile("import\\s[^;]*?from\\s+'([^']+)'");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Test
    void thePageIsServedWithoutATokenUnderAContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
            .hasValue(DashboardHeadersFilter.CONTENT_SECURITY_POLICY);
        assertThat(DashboardHeadersFilter.CONTENT_SECURITY_POLICY)
            .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe-inline", "unsafe-eval", "http");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("<script type=\"module\" src=\"dashboard/app.js\"></script>",
                "id=\"login-form\"");
        // no inline script anywhere: every script element loads a file of this origin
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=\"[a-z/.]+\")").matcher(page.body()).find()).isFalse();
    }

    @Test
    void everyModuleAndStylesheetThePageLoadsIsServedFromThisOrigin() throws Exception {
        String page = get("/").body();
        List<String> files = new ArrayList<>(matches(Pattern.compile("(?:href|src)=\"([^\"#]+)\""), page));
        assertThat(files).contains("dashboard/app.js", "webjars/uplot/dist/uPlot.min.css");
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            assertThat(file).as("a file of this origin").doesNotContain(":", "//");
            HttpResponse<String> response = get("/" + file);
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(file).isPresent();
            if (file.endsWith(".js")) {
                assertThat(response.headers().firstValue("Content-Type")).as(file)
                    .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
                String directory = file.substring(0, file.lastIndexOf('/') + 1);
                for (String imported : matches(IMPORT, response.body())) {
                    String resolved = URI.create("/" + directory).resolve(imported).getPath().substring(1);
                    if (!files.contains(resolved)) {
                        files.add(resolved);
                    }
                }
            }
        }
        // the chart library, through the version-less WebJar path the modules import
        assertThat(files).contains("webjars/uplot/dist/uPlot.esm.js", "dashboard/sse.js", "dashboard/api.js");
    }

    @Test
    void theApiStillNeedsAToken() throws Exception {
        HttpResponse<String> sensors = get("/api/v1/sensors");
        assertThat(sensors.statusCode()).isEqualTo(401);
        assertThat(sensors.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(sensors.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void pathsOutsideTheStaticFilesAreNotServed() throws Exception {
        for (String path : List.of("/dashboard/%2e%2e/application.properties", "/dashboard/..%2fapplication.properties",
                "/application.properties", "/dashboard/missing.js", "/webjars/uplot/../../application.properties")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isBetween(400, 499);
            assertThat(response.body()).as(path).doesNotContain("spring.datasource");
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

}
