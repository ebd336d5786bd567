package dev.tessera.fetcher;

import dev.tessera.support.security.GuardConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
// the body limit and the JSON-only rule of every service; fetches are reads (README "Security")
@Import(GuardConfiguration.class)
public class FetcherApplication {

    public static void main(String[] args) {
        SpringApplication.run(FetcherApplication.class, args);
    }
}
