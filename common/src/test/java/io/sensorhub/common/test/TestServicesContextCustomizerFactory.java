package io.sensorhub.common.test;

import java.util.List;
import java.util.Map;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Points every Spring test context of a module that has this test-jar at
 * {@link TestServices}: the properties take precedence over application.properties, so no
 * test can reach a shared database by mistake. Registered in
 * {@code META-INF/spring.factories}.
 */
class TestServicesContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new Customizer();
    }

    /** Equal to every other instance, so Spring's context cache is not split by it. */
    private static final class Customizer implements ContextCustomizer {

        private static final List<String> TEST_SOURCES = List.of("Dynamic Test Properties", "Inlined Test Properties");

        @Override
        public void customizeContext(org.springframework.context.ConfigurableApplicationContext context,
                org.springframework.test.context.MergedContextConfiguration mergedConfig) {
            Map<String, Object> properties = Map.copyOf(TestServices.get().springProperties());
            MutablePropertySources sources = context.getEnvironment().getPropertySources();
            MapPropertySource services = new MapPropertySource("sensorhubTestServices", properties);
            // Below a test's own inlined or dynamic properties (so a test can point at a
            // closed port),
            // above everything else.
            String above = TEST_SOURCES.stream()
                .filter(sources::contains)
                .reduce((first, second) -> second)
                .orElse(null);
            if (above != null) {
                sources.addAfter(above, services);
            }
            else {
                sources.addFirst(services);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }

    }

}
