package dev.tessera.registry.security;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import dev.tessera.registry.system.RegistryProperties;
import dev.tessera.support.security.LoginThrottle;
import dev.tessera.support.security.RegistryCredentials;
import java.security.SecureRandom;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.provisioning.UserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. Reads are open: the API's GETs, validation (a dry run writes nothing), the
 * OpenAPI document, health and the Prometheus scrape. Writes (publish, retire, a batch that is not
 * a dry run) need the WRITER or ADMIN role, by HTTP Basic or an API token; failures are problem
 * JSON. The admin UI needs a form login, with CSRF protection. Other actuator endpoints need ADMIN.
 * Every login (Basic, token, form) is throttled per account and address ({@link LoginThrottleFilter}).
 * {@code GET /api/v1/auth/me} answers who a credential is: the batch, stream and fetcher services
 * check their callers with it (DESIGN.md "Security").
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
  private static final String[] WRITERS = {"WRITER", "ADMIN"};

  @Bean
  Accounts accounts(RegistryProperties props) {
    Accounts accounts = Accounts.from(props.security(), new SecureRandom());
    accounts.generatedPassword().ifPresent(password -> log.warn("""

        ==========================================================================================
          Tessera registry: no users or API tokens are configured (tessera.registry.security.*).
          Generated a login for this run only:   user: {}   password: {}
          Use it for the admin UI and for writes (curl -u {}:<password> ...). Configure users or
          api-tokens to choose your own; this password changes at every start.
        ==========================================================================================""",
        Accounts.GENERATED_ADMIN, password, Accounts.GENERATED_ADMIN));
    return accounts;
  }

  @Bean
  UserDetailsManager userDetailsService(Accounts accounts) {
    return new InMemoryUserDetailsManager(accounts.users());
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoders.delegating();
  }

  @Bean
  LoginThrottle loginThrottle(LoginProperties login) {
    return new LoginThrottle(login.freeFailures(), login.baseWait(), login.maxWait(), InstantSource.system());
  }

  @Bean
  LoginThrottleFilter.Events loginEvents(LoginThrottle throttle) {
    return new LoginThrottleFilter.Events(throttle);
  }

  @Bean
  @Order(1)
  SecurityFilterChain apiChain(HttpSecurity http, Accounts accounts, LoginThrottle throttle) {
    ProblemSecurityHandlers problems = new ProblemSecurityHandlers();
    return http
        .securityMatcher("/api/**")
        .addFilterBefore(new LoginThrottleFilter(throttle), BasicAuthenticationFilter.class)
        .csrf(csrf -> csrf.disable()) // no cookies, no session: nothing for CSRF to protect
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.realmName(ProblemSecurityHandlers.REALM).authenticationEntryPoint(problems))
        .addFilterBefore(new ApiTokenAuthenticationFilter(accounts, problems, throttle), BasicAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(HttpMethod.GET, RegistryCredentials.ME_PATH).authenticated()
            .requestMatchers(HttpMethod.GET, "/api/**").permitAll()
            .requestMatchers(HttpMethod.POST, "/api/v1/groupbys/validate", "/api/v1/joins/validate").permitAll()
            .requestMatchers(dryRunBatch()).permitAll()
            // retrying or dropping a record Kafka refused decides what the services will see: admins only
            .requestMatchers("/api/v1/outbox/**").hasRole("ADMIN")
            .anyRequest().hasAnyRole(WRITERS))
        .build();
  }

  /** Open monitoring and documentation; the rest of the actuator for admins only. */
  @Bean
  @Order(2)
  SecurityFilterChain operationsChain(HttpSecurity http, LoginThrottle throttle) {
    ProblemSecurityHandlers problems = new ProblemSecurityHandlers();
    return http
        .addFilterBefore(new LoginThrottleFilter(throttle), BasicAuthenticationFilter.class)
        .securityMatcher(request -> EndpointRequest.toAnyEndpoint().matches(request)
            || request.getRequestURI().startsWith(request.getContextPath() + "/v3/api-docs")
            || request.getRequestURI().startsWith(request.getContextPath() + "/swagger-ui"))
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.realmName(ProblemSecurityHandlers.REALM).authenticationEntryPoint(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
            .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
            .anyRequest().hasRole("ADMIN"))
        .build();
  }

  /** The admin UI: a session with a form login and CSRF tokens on every form. */
  @Bean
  @Order(3)
  SecurityFilterChain uiChain(HttpSecurity http, LoginThrottle throttle) {
    return http
        .addFilterBefore(new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/css/**", "/js/**", "/favicon.svg", "/login", "/error").permitAll()
            .requestMatchers(HttpMethod.POST, "/ui/groupbys/publish", "/ui/groupbys/*/retire", "/ui/groupbys/*/rollout", "/ui/joins/publish", "/ui/joins/*/retire")
            .hasAnyRole(WRITERS)
            .requestMatchers(HttpMethod.POST, "/ui/outbox/**").hasRole("ADMIN")
            .anyRequest().authenticated())
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/ui/groupbys", false).permitAll())
        .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
        .build();
  }

  /** {@code POST /api/v1/groupbys:batch?dryRun=true}: only validates and plans. */
  private static RequestMatcher dryRunBatch() {
    RequestMatcher batch = pathPattern(HttpMethod.POST, "/api/v1/groupbys:batch");
    return request -> batch.matches(request) && "true".equalsIgnoreCase(request.getParameter("dryRun"));
  }
}
