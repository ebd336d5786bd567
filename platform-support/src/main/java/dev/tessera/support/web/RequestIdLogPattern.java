package dev.tessera.support.web;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the request id into Spring Boot's plain-text log lines ({@code logging.pattern.correlation},
 * the slot Boot reserves for it): {@code [4f1c2a9e0b7d3c55] } on the lines of a request, nothing on
 * the others. A default only: {@code application.yml} or {@code LOGGING_PATTERN_CORRELATION} win. The
 * JSON formats ({@code logging.structured.format.console=ecs|logstash}) carry every MDC entry, the
 * request id among them, without it.
 */
public class RequestIdLogPattern implements EnvironmentPostProcessor {
  static final String PATTERN = "%replace([%X{" + RequestIds.KEY + "}] ){'^\\[\\] $', ''}";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource("tesseraRequestIdLogPattern",
        Map.of("logging.pattern.correlation", PATTERN)));
  }
}
