package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.codec.IrFormatException;
import dev.tessera.agg.row.Row;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The service's own binary forms: what goes through the repartition topic and the tile store keys. */
class CodecsTest {

  @Test
  void aRoutedEventDecodesToExactlyTheRowItCarried() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", 2L);
    map.put("a", null);
    Object[] values = {"u1", 12.345678901234567, -7L, null, true, false, List.of(1L, "x", 0.1), map, Double.NaN, -0.0};
    RoutedEvent e = new RoutedEvent(2, 5, 123_456_789_012L, new Row(-42L, values), "{\"raw\": 1}".getBytes(StandardCharsets.UTF_8));
    RoutedEvent back = RoutedEvent.decode(e.encode());
    assertThat(back.sourceIndex()).isEqualTo(2);
    assertThat(back.partition()).isEqualTo(5);
    assertThat(back.offset()).isEqualTo(123_456_789_012L);
    assertThat(back.row()).isEqualTo(e.row());
    assertThat(Double.doubleToRawLongBits((Double) back.row().get(9))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(back.raw()).isEqualTo(e.raw());
    assertThat(((Map<?, ?>) back.row().get(7)).keySet().stream().map(String::valueOf).toList()).containsExactly("b", "a");
  }

  @Test
  void aRoutedEventCarriesItsPartitionsStreamTimeAndFormatOneStillDecodes() {
    Row row = new Row(1_000L, new Object[] {"u"});
    assertThat(RoutedEvent.decode(new RoutedEvent(0, 3, 7, row, new byte[0], 9_000_000L).encode()).originTime()).isEqualTo(9_000_000L);
    assertThatThrownBy(() -> new RoutedEvent(0, 3, 7, row, new byte[0], 999L)).isInstanceOf(IllegalArgumentException.class);
    // Format 1 (written before the watermark, maybe still in the repartition topic): the event's own time.
    var v1 = new dev.tessera.agg.codec.ByteSink(16);
    v1.writeByte(1).writeVarInt(0).writeVarLong(3).writeVarLong(7).writeLong(1_000L).writeVarInt(1);
    v1.writeByte(3).writeString("u"); // ValueCodec STRING
    v1.writeBytes(new byte[] {'x'});
    RoutedEvent old = RoutedEvent.decode(v1.toByteArray());
    assertThat(old.originTime()).isEqualTo(1_000L);
    assertThat(old.row()).isEqualTo(row);
    assertThat(old.raw()).containsExactly('x');
  }

  @Test
  void corruptOrForeignBytesAreRefusedNotMisread() {
    byte[] good = new RoutedEvent(0, 0, 0, new Row(1, new Object[] {"u"}), new byte[0]).encode();
    assertThatThrownBy(() -> RoutedEvent.decode(Arrays.copyOf(good, good.length - 2))).isInstanceOf(IrFormatException.class);
    byte[] foreign = good.clone();
    foreign[0] = 9;
    assertThatThrownBy(() -> RoutedEvent.decode(foreign)).hasMessageContaining("unknown routed event format 9");
  }

  @Test
  void entityKeysAreStableAndDistinguishTypesAndBoundaries() {
    assertThat(EntityKey.encode(List.of("a", 1L))).isEqualTo(EntityKey.encode(List.of("a", 1L)));
    assertThat(EntityKey.encode(List.of("a:b"))).isNotEqualTo(EntityKey.encode(List.of("a", "b")));
    assertThat(EntityKey.encode(List.of("1"))).isNotEqualTo(EntityKey.encode(List.of(1L)));
    assertThat(EntityKey.decode(EntityKey.encode(List.of("a", 1L, true)))).containsExactly("a", 1L, true);
  }

  @Test
  void tileKeysSortByTileStartIncludingNegativeTimes() {
    byte[] entity = EntityKey.encode(List.of("u"));
    long[] starts = {-600_000, -300_000, 0, 300_000, Long.MAX_VALUE - 7};
    for (int i = 0; i + 1 < starts.length; i++) {
      assertThat(TileKey.of(starts[i], entity).compareTo(TileKey.of(starts[i + 1], EntityKey.encode(List.of("a")))))
          .isNegative();
    }
    Bytes k = TileKey.of(-300_000, entity);
    assertThat(TileKey.tileStart(k)).isEqualTo(-300_000);
    assertThat(TileKey.entity(k)).isEqualTo(entity);
    assertThat(TileKey.entityValues(k)).containsExactly("u");
  }
}
