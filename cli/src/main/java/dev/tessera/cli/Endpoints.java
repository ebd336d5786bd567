package dev.tessera.cli;

import picocli.CommandLine.Option;

/** Where the services are and how to authenticate: options, with environment variables as defaults. */
final class Endpoints {
  @Option(names = "--registry", defaultValue = "${env:TESSERA_REGISTRY_URL:-http://localhost:8081}",
      description = "registry URL (default: ${DEFAULT-VALUE})")
  String registry;

  @Option(names = "--fetcher", defaultValue = "${env:TESSERA_FETCHER_URL:-http://localhost:8080}",
      description = "fetcher URL (default: ${DEFAULT-VALUE})")
  String fetcher;

  @Option(names = "--batch", defaultValue = "${env:TESSERA_BATCH_URL:-http://localhost:8082}",
      description = "batch service URL (default: ${DEFAULT-VALUE})")
  String batch;

  @Option(names = "--stream", defaultValue = "${env:TESSERA_STREAM_URL:-http://localhost:8083}",
      description = "stream service URL (default: ${DEFAULT-VALUE})")
  String stream;

  @Option(names = "--user", defaultValue = "${env:TESSERA_USER}", description = "user for writes (env TESSERA_USER)")
  String user;

  @Option(names = "--password", defaultValue = "${env:TESSERA_PASSWORD}", description = "password (env TESSERA_PASSWORD)")
  String password;

  @Option(names = "--token", defaultValue = "${env:TESSERA_TOKEN}", description = "API token instead of user/password (env TESSERA_TOKEN)")
  String token;

  @Option(names = "--json", description = "print machine-readable JSON instead of tables")
  boolean json;

  Api api() {
    return new Api(user, password, token);
  }
}
