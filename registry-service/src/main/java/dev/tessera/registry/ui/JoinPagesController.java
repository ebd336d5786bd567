package dev.tessera.registry.ui;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinWriter;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.join.JoinRegistry;
import dev.tessera.registry.join.JoinView;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin UI's Join page ({@code /ui/joins/{name}}): its parts with the GroupBy version each
 * resolves to, the output columns with types and kinds, the derivations, versions, history, and
 * a try-a-fetch box for the whole vector that goes through the registry to the fetcher.
 */
@Controller
public class JoinPagesController {
  private final JoinRegistry joins;
  private final FetcherClient fetcher;

  public JoinPagesController(JoinRegistry joins, FetcherClient fetcher) {
    this.joins = joins;
    this.fetcher = fetcher;
  }

  @GetMapping("/ui/joins/{name}")
  String detail(@PathVariable String name, @RequestParam(required = false) Integer version,
      @RequestParam(required = false) Integer from, @RequestParam(required = false) Integer to, Model model) {
    addDetail(model, joins.summary(name), version, from, to, Map.of());
    return "join";
  }

  /** Keys and request fields come as {@code field.<column>}, typed by the left schema; a blank request field is null. */
  @PostMapping("/ui/joins/{name}/fetch")
  String fetch(@PathVariable String name, @RequestParam Map<String, String> form, Model model) {
    Map<String, String> typed = new LinkedHashMap<>();
    form.forEach((k, v) -> {
      if (k.startsWith("field.")) typed.put(k.substring("field.".length()), v);
    });
    Fields fields = addDetail(model, joins.summary(name), null, null, null, typed);
    UiSupport.AsOf asOf = UiSupport.AsOf.parse(form.get("atMillis"));
    model.addAttribute("fetchAt", form.getOrDefault("atMillis", "").trim());
    model.addAttribute("fetch", asOf.error() != null ? asOf.error()
        : fetcher.fetchJoin(name, fields.keys(), fields.request(), typed, asOf.atMillis()));
    return "join";
  }

  @PostMapping("/ui/joins/{name}/retire")
  String retire(@PathVariable String name, @RequestParam(required = false) String etag, Principal principal,
      RedirectAttributes redirect) {
    return UiSupport.retire(joins, name, etag, principal.getName(), redirect, "/ui/joins/" + name);
  }

  /** What a fetch of the Join needs: the key columns and the request fields, with their left-schema types. */
  record Fields(Map<String, DataType> keys, Map<String, DataType> request) {
    static Fields of(Join join, List<String> keyColumns) {
      Map<String, DataType> schema = join.left() == null ? Map.of() : join.left().schema();
      Map<String, DataType> keys = new LinkedHashMap<>();
      keyColumns.forEach(k -> keys.put(k, schema.getOrDefault(k, DataType.Primitive.STRING)));
      Map<String, DataType> request = new LinkedHashMap<>();
      join.request().forEach(r -> request.put(r, schema.getOrDefault(r, DataType.Primitive.STRING)));
      return new Fields(keys, request);
    }
  }

  private Fields addDetail(Model model, DefinitionSummary s, Integer version, Integer from, Integer to, Map<String, String> typed) {
    StoredVersion<Join> v = UiSupport.addDetail(model, joins, s, version, from, to, JoinWriter::toYaml, (f, t) -> joins.diff(s.name(), f, t));
    JoinView view = joins.view(s, v);
    Fields fields = Fields.of(v.definition(), view.keyColumns());
    model.addAttribute("view", view);
    model.addAttribute("fetcherUrl", fetcher.base());
    List<UiSupport.FormField> form = new ArrayList<>();
    fields.keys().forEach((k, t) -> form.add(new UiSupport.FormField(k, t.spec(), typed.getOrDefault(k, ""), true)));
    fields.request().forEach((r, t) -> form.add(new UiSupport.FormField(r, t.spec() + ", request", typed.getOrDefault(r, ""), false)));
    model.addAttribute("fetchFields", form);
    return fields;
  }
}
