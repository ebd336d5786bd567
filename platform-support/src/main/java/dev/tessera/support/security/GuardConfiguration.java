package dev.tessera.support.security;

import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The request guard of a service that imports it (batch, stream, fetcher): the body limit first,
 * then the {@link WriteGuard}, both before Spring MVC reads anything. A service says which
 * requests need a writer with a {@link GuardedRequests} bean; without one, every non-GET does.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GuardProperties.class)
public class GuardConfiguration {
  @Bean
  FilterRegistrationBean<BodyLimit> bodyLimitFilter(GuardProperties props) {
    var registration = new FilterRegistrationBean<>(new BodyLimit(props.maxRequestSize().toBytes(), GuardProperties.P + "max-request-size"));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  RegistryCredentials registryCredentials(GuardProperties props) {
    return props.registryCredentials(InstantSource.system());
  }

  @Bean
  FilterRegistrationBean<WriteGuard> writeGuardFilter(GuardProperties props, RegistryCredentials credentials,
      ObjectProvider<GuardedRequests> guarded, org.springframework.core.env.Environment env) {
    LoginThrottle throttle = props.loginThrottle(InstantSource.system());
    // the service's name in the answers ("This request changes tessera-batch")
    String service = env.getProperty("spring.application.name", "this service");
    WriteGuard guard = new WriteGuard(service, credentials, throttle, props.allowedOrigins(),
        guarded.getIfAvailable(() -> WriteGuard::isWrite)::guarded);
    var registration = new FilterRegistrationBean<>(guard);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }

  /** Tomcat reports requests it refuses itself (before any filter) with {@link ProblemErrorReportValve}. */
  @Bean
  org.springframework.boot.web.server.WebServerFactoryCustomizer<org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory> problemErrorPages() {
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
      }
    });
  }

  /** Which requests need a writer's credential. */
  @FunctionalInterface
  public interface GuardedRequests {
    boolean guarded(jakarta.servlet.http.HttpServletRequest request);
  }
}
