package dev.tessera.registry.security;

import dev.tessera.support.security.RegistryCredentials;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the presented credential is: the check the batch, stream and fetcher services make for every
 * write (DESIGN.md "Security"), so that accounts, roles and tokens live in one place. A wrong
 * credential is a 401 (and counts towards the login throttle), none at all is a 401 too.
 */
@RestController
class AuthController {

  /** The caller's name and roles (without the {@code ROLE_} prefix). */
  @GetMapping(RegistryCredentials.ME_PATH)
  Map<String, Object> me(Authentication authentication) {
    List<String> roles = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
    return Map.of("name", authentication.getName(), "roles", roles);
  }
}
