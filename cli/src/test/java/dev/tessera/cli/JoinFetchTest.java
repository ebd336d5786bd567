package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.LeftSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinFetchTest {
  private static final Join FRAUD_MODEL = Join.builder("fraud_model")
      .left(new LeftSource("checkouts", "ts", schema()))
      .part("fraud_features", Map.of("buyer", "user_id"), "buyer")
      .part("buyer_merchant_features", Map.of("buyer", "user_id", "shop", "merchant"), "pair")
      .request("amount_now", "channel", "items")
      .build();

  private static Map<String, DataType> schema() {
    Map<String, DataType> s = new LinkedHashMap<>();
    s.put("buyer", DataType.Primitive.STRING);
    s.put("shop", DataType.Primitive.STRING);
    s.put("amount_now", DataType.Primitive.DOUBLE);
    s.put("channel", DataType.Primitive.STRING);
    s.put("items", DataType.Primitive.LONG);
    s.put("ts", DataType.Primitive.LONG);
    return s;
  }

  @Test
  void aRowIsTypedByTheLeftSchema() {
    assertThat(JoinFetch.parseRow("buyer=user_1,shop=amazon,amount_now=12.5,channel=web,items=3", FRAUD_MODEL).toString())
        .isEqualTo("{\"buyer\":\"user_1\",\"shop\":\"amazon\",\"amount_now\":12.5,\"channel\":\"web\",\"items\":3}");
  }

  @Test
  void aNonStringRequestFieldMayBeNull() {
    assertThat(JoinFetch.parseRow("buyer=u,shop=s,amount_now=null,channel=web,items=null", FRAUD_MODEL).toString())
        .isEqualTo("{\"buyer\":\"u\",\"shop\":\"s\",\"amount_now\":null,\"channel\":\"web\",\"items\":null}");
  }

  @Test
  void aMissingOrUnknownColumnIsNamed() {
    assertThatThrownBy(() -> JoinFetch.parseRow("buyer=u,amount_now=1,channel=web,items=1", FRAUD_MODEL))
        .hasMessageContaining("missing [shop]");
    assertThatThrownBy(() -> JoinFetch.parseRow("buyer=u,shop=s,amount_now=1,channel=web,items=1,label=1", FRAUD_MODEL))
        .hasMessageContaining("unknown column(s) [label]");
  }

  @Test
  void aValueOfTheWrongTypeIsNamed() {
    assertThatThrownBy(() -> JoinFetch.parseRow("buyer=u,shop=s,amount_now=lots,channel=web,items=1", FRAUD_MODEL))
        .hasMessage("column 'amount_now' is DOUBLE, not 'lots'");
  }
}
