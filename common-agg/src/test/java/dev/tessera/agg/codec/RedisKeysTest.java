package dev.tessera.agg.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

  @Test
  void keysOfOneEntityShareOneHashTag() {
    assertThat(RedisKeys.batchKey("fraud_features", 1, List.of("123"))).isEqualTo("tsr:{fraud_features:1:123}:b");
    assertThat(RedisKeys.tilesKey("fraud_features", 1, List.of("123"))).isEqualTo("tsr:{fraud_features:1:123}:t");
  }

  @Test
  void versionIsPartOfEveryKey() {
    assertThat(RedisKeys.batchKey("g", 1, List.of("u"))).isNotEqualTo(RedisKeys.batchKey("g", 2, List.of("u")));
  }

  @Test
  void valuesCannotBreakTheHashTagOrCollide() {
    String odd = RedisKeys.batchKey("g", 1, List.of("a}b{c:d%e f"));
    assertThat(odd).isEqualTo("tsr:{g:1:a%7Db%7Bc%3Ad%25e%20f}:b");
    assertThat(odd.indexOf('}')).isEqualTo(odd.lastIndexOf('}'));
    assertThat(RedisKeys.encodeEntity(List.of("a:b"))).isNotEqualTo(RedisKeys.encodeEntity(List.of("a", "b")));
    assertThat(RedisKeys.encodeEntity(List.of("ü"))).isEqualTo("%C3%BC");
  }

  @Test
  void compositeAndTypedKeys() {
    assertThat(RedisKeys.encodeEntity(List.of("u1", 42L, true))).isEqualTo("u1:42:true");
    assertThat(RedisKeys.tileStart(RedisKeys.tileField(1_717_286_400_000L))).isEqualTo(1_717_286_400_000L);
  }

  @Test
  void theRollupsFromValueIsPaddedPastTheLengthAskedForAndReadsBackWithOrWithoutPadding() {
    byte[] hour = Long.toString(1_717_286_400_000L).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] padded = RedisKeys.padRollupsFrom(hour, 65);
    assertThat(padded).hasSize(65);
    assertThat(new String(padded, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("1717286400000 ").endsWith(" ");
    assertThat(RedisKeys.rollupsFrom(padded)).isEqualTo(1_717_286_400_000L);
    assertThat(RedisKeys.rollupsFrom(hour)).isEqualTo(1_717_286_400_000L);
    assertThat(RedisKeys.padRollupsFrom(hour, 0)).isSameAs(hour);
    byte[] any = RedisKeys.padRollupsFrom(Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII), 65);
    assertThat(RedisKeys.rollupsFrom(any)).isEqualTo(Long.MIN_VALUE);
  }
}
