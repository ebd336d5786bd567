package dev.tessera.registry.ui;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.registry.definition.DefinitionRegistry;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.groupby.GroupByView;
import dev.tessera.registry.join.JoinRegistry;
import dev.tessera.registry.rollout.Rollout;
import dev.tessera.registry.rollout.RolloutRunner;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin UI's lists (GroupBys and Joins, one tab each) and GroupBy pages: server-rendered over
 * the same registries the API uses, so the UI can never publish something the API would refuse
 * (or the other way round). Joins have their pages in {@link JoinPagesController}, the editor of
 * both is {@link EditorController}.
 */
@Controller
public class AdminController {
  private final GroupByRegistry registry;
  private final JoinRegistry joins;
  private final FetcherClient fetcher;
  private final RolloutRunner rollouts;

  public AdminController(GroupByRegistry registry, JoinRegistry joins, FetcherClient fetcher, RolloutRunner rollouts) {
    this.registry = registry;
    this.joins = joins;
    this.fetcher = fetcher;
    this.rollouts = rollouts;
  }

  @GetMapping({"/", "/ui", "/ui/"})
  String home() {
    return "redirect:/ui/groupbys";
  }

  @GetMapping("/login")
  String login() {
    return "login";
  }

  @GetMapping("/ui/groupbys")
  String list(@RequestParam(required = false) String q, @RequestParam(required = false) String status, Model model) {
    return list(Kind.GROUPBY, registry, q, status, model);
  }

  @GetMapping("/ui/joins")
  String joins(@RequestParam(required = false) String q, @RequestParam(required = false) String status, Model model) {
    return list(Kind.JOIN, joins, q, status, model);
  }

  /** One tab of the list page: the names of one kind, filtered by name or team and status; the tabs show both counts. */
  private String list(Kind kind, DefinitionRegistry<?, ?> shownRegistry, String q, String status, Model model) {
    String query = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
    List<DefinitionSummary> all = shownRegistry.list();
    List<DefinitionSummary> shown = all.stream()
        .filter(s -> status == null || status.isBlank() || s.status().name().equalsIgnoreCase(status))
        .filter(s -> query.isEmpty() || s.name().contains(query) || (s.team() != null && s.team().toLowerCase(Locale.ROOT).contains(query)))
        .toList();
    model.addAttribute("kind", kind.slug());
    model.addAttribute("kindLabel", kind.label());
    model.addAttribute("base", "/ui/" + kind.slug() + "s");
    model.addAttribute("items", shown);
    model.addAttribute("total", all.size());
    model.addAttribute("activeCount", all.stream().filter(s -> s.status() == DefinitionStatus.ACTIVE).count());
    model.addAttribute("groupByCount", kind == Kind.GROUPBY ? all.size() : registry.list().size());
    model.addAttribute("joinCount", kind == Kind.JOIN ? all.size() : joins.list().size());
    model.addAttribute("q", q == null ? "" : q);
    model.addAttribute("status", status == null ? "" : status);
    return "list";
  }

  @GetMapping("/ui/groupbys/{name}")
  String detail(@PathVariable String name, @RequestParam(required = false) Integer version,
      @RequestParam(required = false) Integer from, @RequestParam(required = false) Integer to, Model model) {
    DefinitionSummary s = registry.summary(name);
    addDetail(model, s, version, from, to);
    return "detail";
  }

  @PostMapping("/ui/groupbys/{name}/fetch")
  String fetch(@PathVariable String name, @RequestParam Map<String, String> form, Model model) {
    DefinitionSummary s = registry.summary(name);
    addDetail(model, s, null, null, null);
    CompiledGroupBy compiled = (CompiledGroupBy) model.getAttribute("compiled");
    Map<String, String> keys = new LinkedHashMap<>();
    compiled.keyNames().forEach(k -> keys.put(k, form.getOrDefault("key." + k, "")));
    @SuppressWarnings("unchecked")
    Map<String, String> keyTypes = (Map<String, String>) model.getAttribute("keyTypes");
    fetchFields(model, keyTypes, keys);
    UiSupport.AsOf asOf = UiSupport.AsOf.parse(form.get("atMillis"));
    model.addAttribute("fetchAt", form.getOrDefault("atMillis", "").trim());
    model.addAttribute("fetch", asOf.error() != null ? asOf.error() : fetcher.fetch(compiled, keys, asOf.atMillis()));
    return "detail";
  }

  /** Starts (or resumes) the rollout of the version on its way; the page then shows its steps. */
  @PostMapping("/ui/groupbys/{name}/rollout")
  String rollout(@PathVariable String name, Principal principal, RedirectAttributes redirect) {
    try {
      Rollout r = rollouts.start(name, principal.getName());
      redirect.addFlashAttribute("flash", "Rolling out version " + r.version() + ": upload, catch-up, then the switch. Version "
          + r.liveVersion() + " is served until then; reload to follow it.");
      redirect.addFlashAttribute("flashKind", "ok");
    } catch (ErrorResponseException e) {
      redirect.addFlashAttribute("flash", e.getBody().getDetail());
      redirect.addFlashAttribute("flashKind", "error");
    }
    return "redirect:/ui/groupbys/" + name + "#rollout";
  }

  @PostMapping("/ui/groupbys/{name}/retire")
  String retire(@PathVariable String name, @RequestParam(required = false) String etag, Principal principal,
      RedirectAttributes redirect) {
    return UiSupport.retire(registry, name, etag, principal.getName(), redirect, "/ui/groupbys/" + name);
  }

  private void addDetail(Model model, DefinitionSummary s, Integer version, Integer from, Integer to) {
    StoredVersion<GroupBy> v = UiSupport.addDetail(model, registry, s, version, from, to, GroupByWriter::toYaml,
        (f, t) -> registry.diff(s.name(), f, t));
    CompiledGroupBy compiled = GroupByRegistry.compile(v);
    model.addAttribute("compiled", compiled);
    model.addAttribute("view", GroupByView.of(s, v, compiled));
    model.addAttribute("usedBy", joins.activeJoinsUsing(s.name()));
    model.addAttribute("rollout", s.status() == DefinitionStatus.ACTIVE ? registry.rollout(s.name()) : null);
    model.addAttribute("rolloutRunning", rollouts.isRunning(s.name()));
    model.addAttribute("fetcherUrl", fetcher.base());
    Map<String, String> keyTypes = new LinkedHashMap<>();
    for (int i = 0; i < compiled.keyNames().size(); i++) keyTypes.put(compiled.keyNames().get(i), compiled.keyType(i).spec());
    model.addAttribute("keyTypes", keyTypes);
    if (!model.containsAttribute("fetchFields")) fetchFields(model, keyTypes, Map.of());
  }

  private static void fetchFields(Model model, Map<String, String> keyTypes, Map<String, String> typed) {
    model.addAttribute("fetchFields", keyTypes.entrySet().stream()
        .map(e -> new UiSupport.FormField(e.getKey(), e.getValue(), typed.getOrDefault(e.getKey(), ""), true)).toList());
  }
}
