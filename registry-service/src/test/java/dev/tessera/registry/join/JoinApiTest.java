package dev.tessera.registry.join;

import static dev.tessera.registry.Definitions.joinJson;
import static dev.tessera.registry.Definitions.joinYaml;
import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.RegistryHttpTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The Join endpoints over HTTP: the GroupBy API's verbs, versions, errors and auth, and the Join's own checks. */
class JoinApiTest extends RegistryHttpTestBase {
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");
  static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

  private RestTestClient.ResponseSpec publishGroupBy(String body) {
    return http.post().uri("/api/v1/groupbys").contentType(YAML).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(body)
        .exchange();
  }

  private RestTestClient.ResponseSpec publish(String body, MediaType type) {
    return http.post().uri("/api/v1/joins").contentType(type).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(body).exchange();
  }

  private RestTestClient.ResponseSpec publish(String body) {
    return publish(body, YAML);
  }

  private RestTestClient.ResponseSpec retire(String path) {
    return http.delete().uri(path).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange();
  }

  /** A fresh GroupBy for a test's Joins. */
  private String groupBy() {
    String g = uniqueName("jg");
    publishGroupBy(yaml(g)).expectStatus().isCreated();
    return g;
  }

  @Test
  void publishingCreatesVersionOneAndGetShowsItsPartsAndTypedColumns() {
    String g = groupBy();
    String name = uniqueName("join_yaml");
    publish(joinYaml(name, g))
        .expectStatus().isCreated()
        .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/v1/joins/" + name + "/versions/1")
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.1\"")
        .expectBody()
        .jsonPath("$.name").isEqualTo(name)
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.change").isEqualTo("CREATED")
        // Kafka is down in this test: committed, visibly not yet published
        .jsonPath("$.publication.status").isEqualTo("PENDING")
        .jsonPath("$.join.columns.length()").isEqualTo(6);

    http.get().uri("/api/v1/joins/{n}", name).exchange()
        .expectStatus().isOk()
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.1\"")
        .expectBody()
        .jsonPath("$.kind").isEqualTo("join")
        .jsonPath("$.name").isEqualTo(name)
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.publishedBy").isEqualTo(WRITER)
        .jsonPath("$.definition.parts[0].groupBy").isEqualTo(g)
        .jsonPath("$.definition.request[1]").isEqualTo("channel")
        .jsonPath("$.status").isEqualTo("ACTIVE")
        .jsonPath("$.latestVersion").isEqualTo(1)
        .jsonPath("$.valid").isEqualTo(true)
        .jsonPath("$.problems").doesNotExist()
        .jsonPath("$.keyColumns").isEqualTo(List.of("buyer"))
        .jsonPath("$.parts[0].name").isEqualTo("buyer")
        .jsonPath("$.parts[0].groupBy").isEqualTo(g)
        .jsonPath("$.parts[0].pinnedVersion").doesNotExist()
        .jsonPath("$.parts[0].resolvedVersion").isEqualTo(1)
        .jsonPath("$.parts[0].publishedWith").isEqualTo(1)
        .jsonPath("$.parts[0].keyMapping.buyer").isEqualTo("user_id")
        .jsonPath("$.parts[0].features").isEqualTo(List.of("buyer_amount_avg_1h", "buyer_amount_avg_24h", "buyer_merchant_last_k"))
        .jsonPath("$.columns[0].name").isEqualTo("amount_now")
        .jsonPath("$.columns[0].type").isEqualTo("DOUBLE")
        .jsonPath("$.columns[0].kind").isEqualTo("REQUEST")
        .jsonPath("$.columns[1].type").isEqualTo("STRING")
        .jsonPath("$.columns[2].name").isEqualTo("buyer_amount_avg_1h")
        .jsonPath("$.columns[2].kind").isEqualTo("FEATURE")
        .jsonPath("$.columns[2].part").isEqualTo("buyer")
        .jsonPath("$.columns[2].feature").isEqualTo("amount_avg_1h")
        .jsonPath("$.columns[4].type").isEqualTo("LIST<STRING>")
        .jsonPath("$.columns[5].name").isEqualTo("amount_vs_avg")
        .jsonPath("$.columns[5].kind").isEqualTo("DERIVED")
        .jsonPath("$.columns[5].type").isEqualTo("DOUBLE")
        .jsonPath("$.columns[5].expression").isEqualTo("amount_now / buyer_amount_avg_24h");

    http.get().uri("/api/v1/joins?team=risk").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.joins[?(@.name == '" + name + "')].featureCount").isEqualTo(List.of(6))
        .jsonPath("$.joins[?(@.name == '" + name + "')].status").isEqualTo(List.of("ACTIVE"));
    // Joins have their own namespace: the GroupBy list does not show them
    http.get().uri("/api/v1/groupbys").exchange().expectBody()
        .jsonPath("$.groupBys[?(@.name == '" + name + "')]").isEmpty();
  }

  @Test
  void anUnpinnedPartFollowsTheLiveGroupByVersionAndAPinnedOneStays() {
    String g = groupBy();
    String follows = uniqueName("join_live");
    String pinned = uniqueName("join_pinned");
    publish(joinYaml(follows, g)).expectStatus().isCreated();
    publish(joinYaml(pinned, g).replace("    keyMapping:", "    version: 1\n    keyMapping:")).expectStatus().isCreated();
    publishGroupBy(yaml(g, "risk", "1h, 24h, 7d")).expectStatus().isCreated().expectBody().jsonPath("$.version").isEqualTo(2);

    http.get().uri("/api/v1/joins/{n}", follows).exchange().expectBody()
        .jsonPath("$.parts[0].resolvedVersion").isEqualTo(2)
        .jsonPath("$.parts[0].publishedWith").isEqualTo(1)
        .jsonPath("$.parts[0].features.length()").isEqualTo(4);
    http.get().uri("/api/v1/joins/{n}", pinned).exchange().expectBody()
        .jsonPath("$.parts[0].pinnedVersion").isEqualTo(1)
        .jsonPath("$.parts[0].resolvedVersion").isEqualTo(1)
        .jsonPath("$.parts[0].features.length()").isEqualTo(3);

    publish(joinYaml(uniqueName("join_pin9"), g).replace("    keyMapping:", "    version: 9\n    keyMapping:"))
        .expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].path").isEqualTo("$.parts[0].version")
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).contains("has no version 9"));
  }

  @Test
  void jsonBodiesWorkToo() {
    String g = groupBy();
    String name = uniqueName("join_json");
    publish(joinJson(name, g), MediaType.APPLICATION_JSON).expectStatus().isCreated();
    // the same Join as YAML is the same definition: nothing to publish
    publish(joinYaml(name, g)).expectStatus().isOk().expectBody().jsonPath("$.change").isEqualTo("UNCHANGED");
  }

  @Test
  void validateIsADryRunThatNeedsNoLogin() {
    String g = groupBy();
    String name = uniqueName("join_dry");
    http.post().uri("/api/v1/joins/validate").contentType(YAML).body(joinYaml(name, g)).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.valid").isEqualTo(true)
        .jsonPath("$.change").isEqualTo("CREATED")
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.keyColumns").isEqualTo(List.of("buyer"))
        .jsonPath("$.parts[0].resolvedVersion").isEqualTo(1)
        .jsonPath("$.columns[5].name").isEqualTo("amount_vs_avg");
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectStatus().isNotFound();
    http.post().uri("/api/v1/joins/validate").contentType(YAML).body("name: x\n").exchange()
        .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/invalid-join");
  }

  @Test
  void versionsUnchangedRepublishMetadataUpdatesHistoryAndDiff() {
    String g = groupBy();
    String name = uniqueName("join_versions");
    publish(joinYaml(name, g)).expectStatus().isCreated();
    publish(joinYaml(name, g)).expectStatus().isOk()
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.1\"")
        .expectBody().jsonPath("$.change").isEqualTo("UNCHANGED").jsonPath("$.publication.status").isEqualTo("NOTHING_TO_PUBLISH");
    publish(joinYaml(name, g, "fraud", "amount_now / buyer_amount_avg_24h")).expectStatus().isOk()
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"1.2\"")
        .expectBody().jsonPath("$.change").isEqualTo("METADATA_UPDATED").jsonPath("$.version").isEqualTo(1);
    publish(joinYaml(name, g, "fraud", "amount_now - buyer_amount_avg_1h")).expectStatus().isCreated()
        .expectBody().jsonPath("$.change").isEqualTo("NEW_VERSION").jsonPath("$.version").isEqualTo(2)
        .jsonPath("$.previousVersion").isEqualTo(1);

    http.get().uri("/api/v1/joins/{n}/versions", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.latestVersion").isEqualTo(2)
        .jsonPath("$.versions[0].version").isEqualTo(2)
        .jsonPath("$.versions[0].latest").isEqualTo(true)
        .jsonPath("$.versions[1].version").isEqualTo(1);
    http.get().uri("/api/v1/joins/{n}/versions/1", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.latestVersion").isEqualTo(2)
        .jsonPath("$.definition.team").isEqualTo("fraud")
        .jsonPath("$.columns[5].expression").isEqualTo("amount_now / buyer_amount_avg_24h");
    http.get().uri("/api/v1/joins/{n}/diff", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.from").isEqualTo(1)
        .jsonPath("$.to").isEqualTo(2)
        .jsonPath("$.sameComputation").isEqualTo(false)
        .jsonPath("$.document[?(@.kind == 'ADDED')].text").value(List.class,
            texts -> assertThat(texts).anySatisfy(t -> assertThat((String) t).contains("buyer_amount_avg_1h")));
    http.get().uri("/api/v1/joins/{n}/history", name).exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.events.length()").isEqualTo(3)
        .jsonPath("$.events[0].change").isEqualTo("NEW_VERSION")
        .jsonPath("$.events[1].change").isEqualTo("METADATA_UPDATED")
        .jsonPath("$.events[2].change").isEqualTo("CREATED");
  }

  @Test
  void aBadJoinIs400WithEveryProblemAtItsPathAndLine() {
    String g = groupBy();
    // a CEL syntax error: with the other mistakes the inputs are not all known, so only the syntax is checked
    String bad = joinYaml(uniqueName("join_bad"), g, "risk", "amount_now / (buyer_amount_avg_24h")
        .replace("keyMapping: {buyer: user_id}", "keyMapping: {shopper: user_id}")
        .replace("request: [amount_now, channel]", "request: [amount_now, device]");
    publish(bad).expectStatus().isBadRequest()
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/invalid-join")
        .jsonPath("$.title").isEqualTo("Invalid Join definition")
        .jsonPath("$.errors[?(@.path == '$.parts[0].keyMapping.shopper')].line").isEqualTo(List.of(11))
        .jsonPath("$.errors[?(@.path == '$.request[1]')].message").value(List.class,
            m -> assertThat((String) m.getFirst()).contains("device"))
        .jsonPath("$.errors[?(@.path == '$.derivations[0].expression')].line").isEqualTo(List.of(15))
        .jsonPath("$.errors.length()").value(Integer.class, n -> assertThat(n).isGreaterThanOrEqualTo(3));
    publish(joinYaml(uniqueName("join_unknown"), uniqueName("no_such_groupby"))).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].path").isEqualTo("$.parts[0].groupBy")
        .jsonPath("$.errors[0].line").isEqualTo(10)
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).startsWith("unknown GroupBy"));
    publish(joinYaml(uniqueName("join_cel"), g, "risk", "amount_now / buyer_amount_avg_2d")).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].path").isEqualTo("$.derivations[0].expression")
        .jsonPath("$.errors[0].line").isEqualTo(15)
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).contains("buyer_amount_avg_2d"));
    publish("{\"name\": \"x\", \"parts\": [", MediaType.APPLICATION_JSON).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.errors[0].path").isEqualTo("$");
  }

  @Test
  void aJoinNamingARetiredGroupByIsRefused() {
    String g = groupBy();
    retire("/api/v1/groupbys/" + g).expectStatus().isOk();
    String name = uniqueName("join_retired_gb");
    publish(joinYaml(name, g)).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/invalid-join")
        .jsonPath("$.errors[0].path").isEqualTo("$.parts[0].groupBy")
        .jsonPath("$.errors[0].message").value(String.class, m -> assertThat(m).contains("GroupBy '" + g + "' is retired"));
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectStatus().isNotFound();
  }

  @Test
  void retiringAGroupByThatAnActiveJoinUsesIsAConflictNamingTheJoin() {
    String g = groupBy();
    String a = uniqueName("join_uses_a");
    String b = uniqueName("join_uses_b");
    publish(joinYaml(a, g)).expectStatus().isCreated();
    publish(joinYaml(b, g)).expectStatus().isCreated();
    retire("/api/v1/groupbys/" + g).expectStatus().isEqualTo(409)
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/groupby-in-use")
        .jsonPath("$.name").isEqualTo(g)
        .jsonPath("$.joins").isEqualTo(List.of(a, b))
        .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains(a).contains(b).contains("Retire those Joins first"));
    http.get().uri("/api/v1/groupbys/{n}", g).exchange().expectBody().jsonPath("$.status").isEqualTo("ACTIVE");

    retire("/api/v1/joins/" + a).expectStatus().isOk();
    retire("/api/v1/groupbys/" + g).expectStatus().isEqualTo(409).expectBody().jsonPath("$.joins").isEqualTo(List.of(b));
    retire("/api/v1/joins/" + b).expectStatus().isOk();
    retire("/api/v1/groupbys/" + g).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("RETIRED");
  }

  @Test
  void aGroupByVersionThatAnActiveJoinWouldNoLongerCompileAgainstIsRefusedUntilTheJoinIsPinned() {
    String g = groupBy();
    String name = uniqueName("join_breaks");
    publish(joinYaml(name, g)).expectStatus().isCreated();
    // the derivation reads buyer_amount_avg_24h: a version without the 24h window would break the Join
    publishGroupBy(yaml(g, "risk", "1h")).expectStatus().isEqualTo(409)
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/groupby-in-use")
        .jsonPath("$.joins").isEqualTo(List.of(name))
        .jsonPath("$.detail").value(String.class, d -> assertThat(d)
            .contains("cannot be published as version 2").contains(name).contains("buyer_amount_avg_24h").contains("Pin its part"));
    // nor may it go offline under an online Join (a metadata change)
    publishGroupBy(yaml(g).replace("online: true", "online: false")).expectStatus().isEqualTo(409);
    http.get().uri("/api/v1/groupbys/{n}", g).exchange().expectBody()
        .jsonPath("$.version").isEqualTo(1).jsonPath("$.definition.online").isEqualTo(true);

    // pinned to version 1, the Join no longer follows: the GroupBy may move on
    publish(joinYaml(name, g).replace("    keyMapping:", "    version: 1\n    keyMapping:")).expectStatus().isCreated();
    publishGroupBy(yaml(g, "risk", "1h")).expectStatus().isCreated().expectBody().jsonPath("$.version").isEqualTo(2);
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectBody()
        .jsonPath("$.valid").isEqualTo(true).jsonPath("$.parts[0].resolvedVersion").isEqualTo(1);
  }

  @Test
  void retireMarksRetiredIsIdempotentAndPublishingAgainMakesANewVersion() {
    String g = groupBy();
    String name = uniqueName("join_retire");
    publish(joinYaml(name, g)).expectStatus().isCreated();
    http.delete().uri("/api/v1/joins/{n}?expectedVersion=1", name).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isOk().expectBody()
        .jsonPath("$.status").isEqualTo("RETIRED")
        .jsonPath("$.change").isEqualTo("RETIRED")
        .jsonPath("$.publication.status").isEqualTo("PENDING");
    retire("/api/v1/joins/" + name).expectStatus().isOk().expectBody().jsonPath("$.change").isEqualTo("UNCHANGED");
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectBody().jsonPath("$.status").isEqualTo("RETIRED");
    retire("/api/v1/joins/" + uniqueName("join_never")).expectStatus().isNotFound();
    publish(joinYaml(name, g)).expectStatus().isCreated().expectBody().jsonPath("$.version").isEqualTo(2);
  }

  @Test
  void unknownNamesVersionsAndStaleWriters() {
    String g = groupBy();
    String name = uniqueName("join_unknown_name");
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectStatus().isNotFound()
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/join-not-found")
        .jsonPath("$.detail").isEqualTo("No Join named '" + name + "' is registered");
    publish(joinYaml(name, g)).expectStatus().isCreated();
    http.get().uri("/api/v1/joins/{n}/versions/4", name).exchange().expectStatus().isNotFound().expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/version-not-found")
        .jsonPath("$.detail").isEqualTo("Join " + name + " has no version 4 (versions 1 to 1 exist)");
    publish(joinYaml(name, g, "risk", "amount_now * 2.0")).expectStatus().isCreated();
    http.post().uri("/api/v1/joins?expectedVersion=1").contentType(YAML).headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .body(joinYaml(name, g, "risk", "amount_now * 3.0")).exchange()
        .expectStatus().isEqualTo(409)
        .expectHeader().valueEquals(HttpHeaders.ETAG, "\"2.2\"")
        .expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/version-conflict")
        .jsonPath("$.detail").value(String.class, d -> assertThat(d).startsWith("Join " + name + " cannot be changed"));
    http.post().uri("/api/v1/joins").contentType(YAML).header(HttpHeaders.IF_NONE_MATCH, "*")
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(joinYaml(name, g)).exchange().expectStatus().isEqualTo(409);
  }

  @Test
  void writesNeedAWriterByBasicAuthOrApiTokenAsForGroupBys() {
    String g = groupBy();
    String name = uniqueName("join_auth");
    http.post().uri("/api/v1/joins").contentType(YAML).body(joinYaml(name, g)).exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().contentTypeCompatibleWith(PROBLEM)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unauthorized");
    http.post().uri("/api/v1/joins").contentType(YAML).headers(h -> h.setBasicAuth(READER, READER_PASSWORD)).body(joinYaml(name, g))
        .exchange().expectStatus().isForbidden();
    http.post().uri("/api/v1/joins").contentType(YAML).header("X-API-Key", "not-a-token-at-all").body(joinYaml(name, g)).exchange()
        .expectStatus().isUnauthorized();
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectStatus().isNotFound();

    http.post().uri("/api/v1/joins").contentType(YAML).header("X-API-Key", TOKEN).body(joinYaml(name, g)).exchange()
        .expectStatus().isCreated();
    http.delete().uri("/api/v1/joins/{n}", name).exchange().expectStatus().isUnauthorized();
    http.delete().uri("/api/v1/joins/{n}", name).headers(h -> h.setBasicAuth(READER, READER_PASSWORD)).exchange().expectStatus().isForbidden();
    http.delete().uri("/api/v1/joins/{n}", name).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange().expectStatus().isOk();
    http.get().uri("/api/v1/joins/{n}", name).exchange().expectBody()
        .jsonPath("$.publishedBy").isEqualTo("ci").jsonPath("$.updatedBy").isEqualTo("ci");
  }

  @Test
  void theOpenApiDocumentDescribesTheJoinEndpoints() {
    http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.paths['/api/v1/joins'].post.summary").isEqualTo("Publish a Join")
        .jsonPath("$.paths['/api/v1/joins/validate'].post").exists()
        .jsonPath("$.paths['/api/v1/joins/{name}/versions/{version}'].get").exists()
        .jsonPath("$.paths['/api/v1/joins/{name}'].delete").exists();
  }
}
