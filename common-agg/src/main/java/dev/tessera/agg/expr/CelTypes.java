package dev.tessera.agg.expr;

import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DataType.Primitive;
import java.util.Optional;

/** Schema types as CEL types and back. INT and LONG are CEL {@code int}; FLOAT and DOUBLE are {@code double}. */
final class CelTypes {
  private CelTypes() {}

  static CelType toCel(DataType type) {
    return switch (type) {
      case Primitive p -> switch (p) {
        case STRING -> SimpleType.STRING;
        case INT, LONG -> SimpleType.INT;
        case FLOAT, DOUBLE -> SimpleType.DOUBLE;
        case BOOLEAN -> SimpleType.BOOL;
      };
      case DataType.ListType l -> ListType.create(toCel(l.element()));
      case DataType.MapType m -> MapType.create(SimpleType.STRING, toCel(m.value()));
    };
  }

  /** The schema type of a CEL result type, if a column can hold it. */
  static Optional<DataType> fromCel(CelType type) {
    if (type.equals(SimpleType.STRING)) return Optional.of(Primitive.STRING);
    if (type.equals(SimpleType.INT)) return Optional.of(Primitive.LONG);
    if (type.equals(SimpleType.DOUBLE)) return Optional.of(Primitive.DOUBLE);
    if (type.equals(SimpleType.BOOL)) return Optional.of(Primitive.BOOLEAN);
    if (type.kind() == CelKind.LIST && type instanceof ListType l) {
      return fromCel(l.elemType()).map(DataType.ListType::new);
    }
    if (type.kind() == CelKind.MAP && type instanceof MapType m && m.keyType().equals(SimpleType.STRING)) {
      return fromCel(m.valueType()).map(DataType.MapType::new);
    }
    return Optional.empty();
  }
}
