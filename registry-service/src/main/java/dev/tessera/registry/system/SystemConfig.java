package dev.tessera.registry.system;

import dev.tessera.support.security.BodyLimit;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Time, the request size limit and the OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class SystemConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Before Spring Security, so that an oversized body is refused before anything else reads it. */
  @Bean
  FilterRegistrationBean<BodyLimit> requestSizeLimitFilter(RegistryProperties props) {
    var registration = new FilterRegistrationBean<>(new BodyLimit(props.maxRequestSize().toBytes(), "tessera.registry.max-request-size"));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  OpenAPI registryOpenApi() {
    return new OpenAPI()
        .info(new Info().title("Tessera registry").version("v1")
            .description("Register, validate, version and publish GroupBy and Join definitions. Reads are open; writes need HTTP Basic "
                + "or an API token (X-API-Key or Authorization: Bearer). Errors are application/problem+json."))
        .components(new Components()
            .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
            .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-API-Key")));
  }
}
