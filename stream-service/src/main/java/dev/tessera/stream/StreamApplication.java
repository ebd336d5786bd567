package dev.tessera.stream;

import dev.tessera.support.security.GuardConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
// every write is checked against the registry's accounts (DESIGN.md "Security")
@Import(GuardConfiguration.class)
public class StreamApplication {

    public static void main(String[] args) {
        SpringApplication.run(StreamApplication.class, args);
    }
}
